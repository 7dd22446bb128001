WITH source AS (
  SELECT
    *,
    'track' AS tp_kind,
    COALESCE(`event`, '(no name)') AS tp_event,
    LOWER(CAST(`platform` AS STRING)) AS tp_platform,
    `timestamp` AS tp_ts,
    NULL AS tp_props,
    NULL AS tp_traits
  FROM analytics.events
), checked AS (
  SELECT
    *,
    CASE
      WHEN `tp_event` = 'Order Completed'
      THEN CONCAT(
        COALESCE(
          CASE
            WHEN NOT `tp_platform` IS NULL AND NOT `tp_platform` IN ('backend')
            THEN '|1|'
            ELSE ''
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN TO_VARIANT_OBJECT(`order_id`) IS NULL
            THEN '|2|'
            WHEN NOT SCHEMA_OF_VARIANT(TO_VARIANT_OBJECT(`order_id`)) IN ('STRING')
            THEN '|3|'
            ELSE CASE
              WHEN NOT REGEXP_LIKE(CAST(TO_VARIANT_OBJECT(`order_id`) AS STRING), '^o-[0-9]+$')
              THEN '|4|'
              ELSE ''
            END
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN TO_VARIANT_OBJECT(`revenue`) IS NULL
            THEN '|5|'
            WHEN NOT (
              SCHEMA_OF_VARIANT(TO_VARIANT_OBJECT(`revenue`)) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT', 'DOUBLE', 'FLOAT')
              OR SCHEMA_OF_VARIANT(TO_VARIANT_OBJECT(`revenue`)) LIKE 'DECIMAL%'
            )
            THEN '|6|'
            ELSE CASE
              WHEN (
                CAST(TO_VARIANT_OBJECT(`revenue`) AS DOUBLE) < 0.0
                OR CAST(TO_VARIANT_OBJECT(`revenue`) AS DOUBLE) >= 100000.0
              )
              THEN '|7|'
              ELSE ''
            END
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN TO_VARIANT_OBJECT(`quantity`) IS NULL
            THEN ''
            WHEN NOT SCHEMA_OF_VARIANT(TO_VARIANT_OBJECT(`quantity`)) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT')
            THEN '|8|'
            ELSE CASE WHEN CAST(TO_VARIANT_OBJECT(`quantity`) AS DOUBLE) < 1.0 THEN '|9|' ELSE '' END
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN TO_VARIANT_OBJECT(`coupon`) IS NULL
            THEN ''
            WHEN NOT SCHEMA_OF_VARIANT(TO_VARIANT_OBJECT(`coupon`)) IN ('STRING', 'VOID')
            THEN '|10|'
            ELSE CASE
              WHEN SCHEMA_OF_VARIANT(TO_VARIANT_OBJECT(`coupon`)) IN ('STRING')
              AND LENGTH(CAST(TO_VARIANT_OBJECT(`coupon`) AS STRING)) > 20
              THEN '|11|'
              ELSE ''
            END
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN TO_VARIANT_OBJECT(`gift`) IS NULL
            THEN ''
            WHEN NOT SCHEMA_OF_VARIANT(TO_VARIANT_OBJECT(`gift`)) IN ('BOOLEAN')
            THEN '|12|'
            ELSE CASE
              WHEN NOT COALESCE(TO_JSON(TO_VARIANT_OBJECT(`gift`)) IN ('false'), FALSE)
              THEN '|13|'
              ELSE ''
            END
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN TO_VARIANT_OBJECT(`rating`) IS NULL
            THEN ''
            WHEN NOT (
              SCHEMA_OF_VARIANT(TO_VARIANT_OBJECT(`rating`)) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT', 'DOUBLE', 'FLOAT')
              OR SCHEMA_OF_VARIANT(TO_VARIANT_OBJECT(`rating`)) LIKE 'DECIMAL%'
            )
            THEN '|14|'
            ELSE CASE
              WHEN NOT COALESCE(CAST(TO_VARIANT_OBJECT(`rating`) AS DOUBLE) IN (1.0, 2.0, 3.0, 4.5), FALSE)
              THEN '|15|'
              ELSE ''
            END
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN TO_VARIANT_OBJECT(`card_holder`) IS NULL
            THEN ''
            WHEN NOT SCHEMA_OF_VARIANT(TO_VARIANT_OBJECT(`card_holder`)) IN ('STRING')
            THEN '|16|'
            ELSE CASE
              WHEN LENGTH(CAST(TO_VARIANT_OBJECT(`card_holder`) AS STRING)) < 2
              THEN '|17|'
              ELSE ''
            END
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN TO_VARIANT_OBJECT(`shipping`) IS NULL
            THEN ''
            WHEN NOT SCHEMA_OF_VARIANT(TO_VARIANT_OBJECT(`shipping`)) LIKE 'OBJECT%'
            THEN '|18|'
            ELSE ''
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN VARIANT_GET(TO_VARIANT_OBJECT(`shipping`), '$[\'country\']', 'variant') IS NULL
            THEN CASE
              WHEN SCHEMA_OF_VARIANT(TO_VARIANT_OBJECT(`shipping`)) LIKE 'OBJECT%'
              THEN '|19|'
              ELSE ''
            END
            WHEN NOT SCHEMA_OF_VARIANT(VARIANT_GET(TO_VARIANT_OBJECT(`shipping`), '$[\'country\']', 'variant')) IN ('STRING')
            THEN '|20|'
            ELSE CASE
              WHEN NOT REGEXP_LIKE(
                CAST(VARIANT_GET(TO_VARIANT_OBJECT(`shipping`), '$[\'country\']', 'variant') AS STRING),
                '^[A-Z]{2}$'
              )
              THEN '|21|'
              ELSE ''
            END
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN VARIANT_GET(TO_VARIANT_OBJECT(`shipping`), '$[\'express\']', 'variant') IS NULL
            THEN ''
            WHEN NOT SCHEMA_OF_VARIANT(VARIANT_GET(TO_VARIANT_OBJECT(`shipping`), '$[\'express\']', 'variant')) IN ('BOOLEAN')
            THEN '|22|'
            ELSE ''
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN COALESCE(
              ARRAY_JOIN(
                ARRAY_EXCEPT(
                  MAP_KEYS(
                    CAST(CASE
                      WHEN SCHEMA_OF_VARIANT(TO_VARIANT_OBJECT(`shipping`)) LIKE 'OBJECT%'
                      THEN TO_VARIANT_OBJECT(`shipping`)
                    END AS MAP<STRING, VARIANT>)
                  ),
                  ARRAY('country', 'express')
                ),
                ', '
              ),
              ''
            ) <> ''
            THEN '|23|'
            ELSE ''
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN TO_VARIANT_OBJECT(`products`) IS NULL
            THEN ''
            WHEN NOT SCHEMA_OF_VARIANT(TO_VARIANT_OBJECT(`products`)) LIKE 'ARRAY%'
            THEN '|24|'
            ELSE CASE
              WHEN (
                SIZE(CAST(TO_VARIANT_OBJECT(`products`) AS ARRAY<VARIANT>)) < 1
                OR SIZE(CAST(TO_VARIANT_OBJECT(`products`) AS ARRAY<VARIANT>)) > 50
              )
              THEN '|25|'
              ELSE ''
            END
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN EXISTS(
              CAST(TO_VARIANT_OBJECT(`products`) AS ARRAY<VARIANT>),
              x_products -> LOCATE(
                '|26|',
                CASE
                  WHEN x_products IS NULL
                  THEN ''
                  WHEN NOT SCHEMA_OF_VARIANT(x_products) LIKE 'OBJECT%'
                  THEN '|26|'
                  ELSE ''
                END
              ) > 0
            )
            THEN '|26|'
            ELSE ''
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN EXISTS(
              CAST(TO_VARIANT_OBJECT(`products`) AS ARRAY<VARIANT>),
              x_products -> LOCATE(
                '|27|',
                CASE
                  WHEN VARIANT_GET(x_products, '$[\'sku\']', 'variant') IS NULL
                  THEN CASE WHEN SCHEMA_OF_VARIANT(x_products) LIKE 'OBJECT%' THEN '|27|' ELSE '' END
                  WHEN NOT SCHEMA_OF_VARIANT(VARIANT_GET(x_products, '$[\'sku\']', 'variant')) IN ('STRING')
                  THEN '|28|'
                  ELSE ''
                END
              ) > 0
            )
            THEN '|27|'
            ELSE ''
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN EXISTS(
              CAST(TO_VARIANT_OBJECT(`products`) AS ARRAY<VARIANT>),
              x_products -> LOCATE(
                '|28|',
                CASE
                  WHEN VARIANT_GET(x_products, '$[\'sku\']', 'variant') IS NULL
                  THEN CASE WHEN SCHEMA_OF_VARIANT(x_products) LIKE 'OBJECT%' THEN '|27|' ELSE '' END
                  WHEN NOT SCHEMA_OF_VARIANT(VARIANT_GET(x_products, '$[\'sku\']', 'variant')) IN ('STRING')
                  THEN '|28|'
                  ELSE ''
                END
              ) > 0
            )
            THEN '|28|'
            ELSE ''
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN EXISTS(
              CAST(TO_VARIANT_OBJECT(`products`) AS ARRAY<VARIANT>),
              x_products -> LOCATE(
                '|29|',
                CASE
                  WHEN VARIANT_GET(x_products, '$[\'price\']', 'variant') IS NULL
                  THEN ''
                  WHEN NOT (
                    SCHEMA_OF_VARIANT(VARIANT_GET(x_products, '$[\'price\']', 'variant')) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT', 'DOUBLE', 'FLOAT')
                    OR SCHEMA_OF_VARIANT(VARIANT_GET(x_products, '$[\'price\']', 'variant')) LIKE 'DECIMAL%'
                  )
                  THEN '|29|'
                  ELSE CASE
                    WHEN CAST(VARIANT_GET(x_products, '$[\'price\']', 'variant') AS DOUBLE) < 0.0
                    THEN '|30|'
                    ELSE ''
                  END
                END
              ) > 0
            )
            THEN '|29|'
            ELSE ''
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN EXISTS(
              CAST(TO_VARIANT_OBJECT(`products`) AS ARRAY<VARIANT>),
              x_products -> LOCATE(
                '|30|',
                CASE
                  WHEN VARIANT_GET(x_products, '$[\'price\']', 'variant') IS NULL
                  THEN ''
                  WHEN NOT (
                    SCHEMA_OF_VARIANT(VARIANT_GET(x_products, '$[\'price\']', 'variant')) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT', 'DOUBLE', 'FLOAT')
                    OR SCHEMA_OF_VARIANT(VARIANT_GET(x_products, '$[\'price\']', 'variant')) LIKE 'DECIMAL%'
                  )
                  THEN '|29|'
                  ELSE CASE
                    WHEN CAST(VARIANT_GET(x_products, '$[\'price\']', 'variant') AS DOUBLE) < 0.0
                    THEN '|30|'
                    ELSE ''
                  END
                END
              ) > 0
            )
            THEN '|30|'
            ELSE ''
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN EXISTS(
              CAST(TO_VARIANT_OBJECT(`products`) AS ARRAY<VARIANT>),
              x_products -> LOCATE(
                '|31|',
                CASE
                  WHEN COALESCE(
                    ARRAY_JOIN(
                      ARRAY_EXCEPT(
                        MAP_KEYS(
                          CAST(CASE WHEN SCHEMA_OF_VARIANT(x_products) LIKE 'OBJECT%' THEN x_products END AS MAP<STRING, VARIANT>)
                        ),
                        ARRAY('sku', 'price')
                      ),
                      ', '
                    ),
                    ''
                  ) <> ''
                  THEN '|31|'
                  ELSE ''
                END
              ) > 0
            )
            THEN '|31|'
            ELSE ''
          END,
          ''
        )
      )
      WHEN `tp_event` = 'Coupon Entered'
      THEN CONCAT(
        '|32|',
        COALESCE(
          CASE
            WHEN TO_VARIANT_OBJECT(`code`) IS NULL
            THEN ''
            WHEN NOT SCHEMA_OF_VARIANT(TO_VARIANT_OBJECT(`code`)) IN ('STRING')
            THEN '|33|'
            ELSE ''
          END,
          ''
        )
      )
      WHEN `tp_event` = 'Wallet Opened'
      THEN CONCAT(
        '|34|',
        COALESCE(
          CASE
            WHEN NOT `tp_platform` IS NULL AND NOT `tp_platform` IN ('ios')
            THEN '|35|'
            ELSE ''
          END,
          ''
        )
      )
      ELSE '|0|'
    END AS tp_codes
  FROM source
), seen AS (
  SELECT
    `tp_event` AS event,
    COUNT(*) AS seen,
    SUM(CASE WHEN `tp_codes` <> '' THEN 1 ELSE 0 END) AS invalid,
    MIN(`tp_ts`) AS first_seen,
    MAX(`tp_ts`) AS last_seen
  FROM checked
  GROUP BY
    `tp_event`
), rules AS (
  SELECT
    *
  FROM VALUES
    ('1', 'Order Completed', 'unplanned-platform', NULL, 's14', 'no'),
    ('2', 'Order Completed', 'missing-property', 'order_id', 's15', 'no'),
    ('3', 'Order Completed', 'wrong-type', 'order_id', 's1', 'no'),
    ('4', 'Order Completed', 'pattern', 'order_id', 's1', 'no'),
    ('5', 'Order Completed', 'missing-property', 'revenue', 's15', 'no'),
    ('6', 'Order Completed', 'wrong-type', 'revenue', 's2', 'no'),
    ('7', 'Order Completed', 'range', 'revenue', 's2', 'no'),
    ('8', 'Order Completed', 'wrong-type', 'quantity', 's3', 'no'),
    ('9', 'Order Completed', 'range', 'quantity', 's3', 'no'),
    ('10', 'Order Completed', 'wrong-type', 'coupon', 's4', 'no'),
    ('11', 'Order Completed', 'length', 'coupon', 's4', 'no'),
    ('12', 'Order Completed', 'wrong-type', 'gift', 's5', 'no'),
    ('13', 'Order Completed', 'enum', 'gift', 's5', 'no'),
    ('14', 'Order Completed', 'wrong-type', 'rating', 's6', 'no'),
    ('15', 'Order Completed', 'enum', 'rating', 's6', 'no'),
    ('16', 'Order Completed', 'wrong-type', 'card_holder', 's7', 'yes'),
    ('17', 'Order Completed', 'length', 'card_holder', 's7', 'yes'),
    ('18', 'Order Completed', 'wrong-type', 'shipping', 's8', 'no'),
    ('19', 'Order Completed', 'missing-property', 'shipping.country', 's15', 'no'),
    ('20', 'Order Completed', 'wrong-type', 'shipping.country', 's9', 'no'),
    ('21', 'Order Completed', 'pattern', 'shipping.country', 's9', 'no'),
    ('22', 'Order Completed', 'wrong-type', 'shipping.express', 's10', 'no'),
    ('23', 'Order Completed', 'unplanned-property', 'shipping', 's16', 'no'),
    ('24', 'Order Completed', 'wrong-type', 'products', 's11', 'no'),
    ('25', 'Order Completed', 'items', 'products', 's11', 'no'),
    ('26', 'Order Completed', 'wrong-type', 'products[]', 's11', 'no'),
    ('27', 'Order Completed', 'missing-property', 'products[].sku', 's15', 'no'),
    ('28', 'Order Completed', 'wrong-type', 'products[].sku', 's11', 'no'),
    ('29', 'Order Completed', 'wrong-type', 'products[].price', 's11', 'no'),
    ('30', 'Order Completed', 'range', 'products[].price', 's11', 'no'),
    ('31', 'Order Completed', 'unplanned-property', 'products[]', 's11', 'no'),
    ('32', 'Coupon Entered', 'deprecated-event', NULL, 's17', 'no'),
    ('33', 'Coupon Entered', 'wrong-type', 'code', 's12', 'no'),
    ('34', 'Wallet Opened', 'draft-event', NULL, 's18', 'no'),
    ('35', 'Wallet Opened', 'unplanned-platform', NULL, 's14', 'no') AS r(rule_id, rule_event, rule_check, rule_property, rule_sample, rule_pii)
), hits AS (
  SELECT
    `c`.`tp_event` AS event,
    `r`.`rule_check`,
    `r`.`rule_property`,
    `r`.`rule_pii`,
    CASE `r`.`rule_sample`
      WHEN 's1'
      THEN TO_VARIANT_OBJECT(`order_id`)
      WHEN 's2'
      THEN TO_VARIANT_OBJECT(`revenue`)
      WHEN 's3'
      THEN TO_VARIANT_OBJECT(`quantity`)
      WHEN 's4'
      THEN TO_VARIANT_OBJECT(`coupon`)
      WHEN 's5'
      THEN TO_VARIANT_OBJECT(`gift`)
      WHEN 's6'
      THEN TO_VARIANT_OBJECT(`rating`)
      WHEN 's7'
      THEN TO_VARIANT_OBJECT(`card_holder`)
      WHEN 's8'
      THEN TO_VARIANT_OBJECT(`shipping`)
      WHEN 's9'
      THEN VARIANT_GET(TO_VARIANT_OBJECT(`shipping`), '$[\'country\']', 'variant')
      WHEN 's10'
      THEN VARIANT_GET(TO_VARIANT_OBJECT(`shipping`), '$[\'express\']', 'variant')
      WHEN 's11'
      THEN TO_VARIANT_OBJECT(`products`)
      WHEN 's12'
      THEN TO_VARIANT_OBJECT(`code`)
      WHEN 's13'
      THEN TO_VARIANT_OBJECT(`balance`)
    END AS sample_value,
    CASE `r`.`rule_sample`
      WHEN 's14'
      THEN `tp_platform`
      WHEN 's15'
      THEN '(missing)'
      WHEN 's16'
      THEN SUBSTRING(
        COALESCE(
          ARRAY_JOIN(
            ARRAY_EXCEPT(
              MAP_KEYS(
                CAST(CASE
                  WHEN SCHEMA_OF_VARIANT(TO_VARIANT_OBJECT(`shipping`)) LIKE 'OBJECT%'
                  THEN TO_VARIANT_OBJECT(`shipping`)
                END AS MAP<STRING, VARIANT>)
              ),
              ARRAY('country', 'express')
            ),
            ', '
          ),
          ''
        ),
        1,
        60
      )
      WHEN 's17'
      THEN 'send Order Completed instead'
      WHEN 's18'
      THEN 'draft'
    END AS sample_text
  FROM checked AS c
  JOIN rules AS r
    ON `r`.`rule_event` = `c`.`tp_event`
  WHERE
    `c`.`tp_codes` <> ''
    AND LOCATE(CONCAT('|', COALESCE(`r`.`rule_id`, ''), '|'), `c`.`tp_codes`) > 0
), found AS (
  SELECT
    event,
    rule_check,
    rule_property,
    COUNT(*) AS n,
    MIN(`sample`) AS sample_1,
    MAX(`sample`) AS sample_2
  FROM (
    SELECT
      event,
      rule_check,
      rule_property,
      COALESCE(
        `sample_text`,
        CASE
          WHEN `rule_pii` = 'yes'
          THEN CONCAT(
            COALESCE(
              CASE
                WHEN SCHEMA_OF_VARIANT(`sample_value`) IN ('STRING')
                THEN 'string'
                WHEN SCHEMA_OF_VARIANT(`sample_value`) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT')
                THEN 'integer'
                WHEN (
                  SCHEMA_OF_VARIANT(`sample_value`) IN ('DOUBLE', 'FLOAT')
                  OR SCHEMA_OF_VARIANT(`sample_value`) LIKE 'DECIMAL%'
                )
                THEN 'number'
                WHEN SCHEMA_OF_VARIANT(`sample_value`) IN ('BOOLEAN')
                THEN 'boolean'
                WHEN SCHEMA_OF_VARIANT(`sample_value`) LIKE 'OBJECT%'
                THEN 'object'
                WHEN SCHEMA_OF_VARIANT(`sample_value`) LIKE 'ARRAY%'
                THEN 'array'
                WHEN SCHEMA_OF_VARIANT(`sample_value`) IN ('VOID')
                THEN 'null'
              END,
              ''
            ),
            ' of length ',
            COALESCE(CAST(LENGTH(TO_JSON(`sample_value`)) AS STRING), '')
          )
          WHEN `rule_check` = 'wrong-type'
          THEN CONCAT(
            COALESCE(
              CASE
                WHEN SCHEMA_OF_VARIANT(`sample_value`) IN ('STRING')
                THEN 'string'
                WHEN SCHEMA_OF_VARIANT(`sample_value`) IN ('BIGINT', 'INT', 'SMALLINT', 'TINYINT')
                THEN 'integer'
                WHEN (
                  SCHEMA_OF_VARIANT(`sample_value`) IN ('DOUBLE', 'FLOAT')
                  OR SCHEMA_OF_VARIANT(`sample_value`) LIKE 'DECIMAL%'
                )
                THEN 'number'
                WHEN SCHEMA_OF_VARIANT(`sample_value`) IN ('BOOLEAN')
                THEN 'boolean'
                WHEN SCHEMA_OF_VARIANT(`sample_value`) LIKE 'OBJECT%'
                THEN 'object'
                WHEN SCHEMA_OF_VARIANT(`sample_value`) LIKE 'ARRAY%'
                THEN 'array'
                WHEN SCHEMA_OF_VARIANT(`sample_value`) IN ('VOID')
                THEN 'null'
              END,
              ''
            ),
            ': ',
            COALESCE(SUBSTRING(TO_JSON(`sample_value`), 1, 60), '')
          )
          WHEN SCHEMA_OF_VARIANT(`sample_value`) IN ('STRING')
          THEN SUBSTRING(CAST(`sample_value` AS STRING), 1, 60)
          ELSE SUBSTRING(TO_JSON(`sample_value`), 1, 60)
        END
      ) AS sample
    FROM hits
    UNION ALL
    SELECT
      `tp_event` AS event,
      'unplanned-event' AS rule_check,
      CAST(NULL AS STRING) AS rule_property,
      'not in the plan' AS sample
    FROM checked
    WHERE
      `tp_codes` = '|0|'
  ) AS v
  GROUP BY
    event,
    rule_check,
    rule_property
)
SELECT
  *
FROM (
  SELECT
    `event` AS `event`,
    `seen` AS `seen`,
    `seen` - `invalid` AS `valid`,
    CAST(`first_seen` AS STRING) AS `first_seen`,
    CAST(`last_seen` AS STRING) AS `last_seen`,
    CAST(NULL AS STRING) AS `check`,
    CAST(NULL AS STRING) AS `property`,
    CAST(NULL AS BIGINT) AS `count`,
    CAST(NULL AS STRING) AS `sample_1`,
    CAST(NULL AS STRING) AS `sample_2`
  FROM seen
  UNION ALL
  SELECT
    `event` AS `event`,
    CAST(NULL AS BIGINT) AS `seen`,
    CAST(NULL AS BIGINT) AS `valid`,
    CAST(NULL AS STRING) AS `first_seen`,
    CAST(NULL AS STRING) AS `last_seen`,
    `rule_check` AS `check`,
    `rule_property` AS `property`,
    `n` AS `count`,
    `sample_1` AS `sample_1`,
    `sample_2` AS `sample_2`
  FROM found
) AS result
ORDER BY
  `event`,
  `check`,
  `property`
