WITH source AS (
  SELECT
    *,
    CASE WHEN "event_type" = '$identify' THEN 'identify' ELSE 'track' END AS tp_kind,
    CASE
      WHEN "event_type" = '$identify'
      THEN 'identify'
      ELSE COALESCE("event_type", '(no name)')
    END AS tp_event,
    LOWER("platform") AS tp_platform,
    "event_time" AS tp_ts,
    "event_properties" AS tp_props,
    "user_properties" AS tp_traits
  FROM analytics.events
), checked AS (
  SELECT
    tp_event,
    tp_ts,
    tp_codes,
    tp_platform,
    CASE WHEN "tp_codes" <> '' THEN "tp_props" END AS tp_props,
    CASE WHEN "tp_codes" <> '' THEN "tp_traits" END AS tp_traits
  FROM (
    SELECT
      tp_kind,
      tp_event,
      tp_ts,
      tp_platform,
      tp_props,
      tp_traits,
      CASE
        WHEN "tp_kind" = 'identify'
        THEN CONCAT(
          COALESCE(
            CASE
              WHEN GET_PATH("tp_traits", '"email"') IS NULL
              THEN '|38|'
              WHEN NOT TYPEOF(GET_PATH("tp_traits", '"email"')) IN ('VARCHAR')
              THEN '|39|'
              ELSE CASE
                WHEN NOT REGEXP_INSTR(AS_VARCHAR(GET_PATH("tp_traits", '"email"')), '^([^@\\s]+@[^@\\s]+\\.[^@\\s]+)$') > 0
                THEN '|40|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN GET_PATH("tp_traits", '"plan_tier"') IS NULL
              THEN ''
              WHEN NOT TYPEOF(GET_PATH("tp_traits", '"plan_tier"')) IN ('VARCHAR')
              THEN '|41|'
              ELSE CASE
                WHEN NOT COALESCE(AS_VARCHAR(GET_PATH("tp_traits", '"plan_tier"')) IN ('free', 'pro'), FALSE)
                THEN '|42|'
                ELSE ''
              END
            END,
            ''
          )
        )
        WHEN "tp_event" = 'Order Completed'
        THEN CONCAT(
          COALESCE(
            CASE
              WHEN NOT "tp_platform" IS NULL AND NOT "tp_platform" IN ('backend')
              THEN '|1|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN GET_PATH("tp_props", '"order_id"') IS NULL
              THEN '|2|'
              WHEN NOT TYPEOF(GET_PATH("tp_props", '"order_id"')) IN ('VARCHAR')
              THEN '|3|'
              ELSE CASE
                WHEN NOT REGEXP_INSTR(AS_VARCHAR(GET_PATH("tp_props", '"order_id"')), '^o-[0-9]+$') > 0
                THEN '|4|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN GET_PATH("tp_props", '"revenue"') IS NULL
              THEN '|5|'
              WHEN NOT TYPEOF(GET_PATH("tp_props", '"revenue"')) IN ('INTEGER', 'DECIMAL', 'DOUBLE')
              THEN '|6|'
              ELSE CASE
                WHEN (
                  AS_DOUBLE(GET_PATH("tp_props", '"revenue"')) < 0.0
                  OR AS_DOUBLE(GET_PATH("tp_props", '"revenue"')) >= 100000.0
                )
                THEN '|7|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN GET_PATH("tp_props", '"quantity"') IS NULL
              THEN ''
              WHEN NOT TYPEOF(GET_PATH("tp_props", '"quantity"')) IN ('INTEGER')
              THEN '|8|'
              ELSE CASE WHEN AS_DOUBLE(GET_PATH("tp_props", '"quantity"')) < 1.0 THEN '|9|' ELSE '' END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN GET_PATH("tp_props", '"coupon"') IS NULL
              THEN ''
              WHEN NOT TYPEOF(GET_PATH("tp_props", '"coupon"')) IN ('VARCHAR', 'NULL_VALUE')
              THEN '|10|'
              ELSE CASE
                WHEN TYPEOF(GET_PATH("tp_props", '"coupon"')) IN ('VARCHAR')
                AND LENGTH(AS_VARCHAR(GET_PATH("tp_props", '"coupon"'))) > 20
                THEN '|11|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN GET_PATH("tp_props", '"gift"') IS NULL
              THEN ''
              WHEN NOT TYPEOF(GET_PATH("tp_props", '"gift"')) IN ('BOOLEAN')
              THEN '|12|'
              ELSE CASE
                WHEN NOT COALESCE(TO_JSON(GET_PATH("tp_props", '"gift"')) IN ('false'), FALSE)
                THEN '|13|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN GET_PATH("tp_props", '"rating"') IS NULL
              THEN ''
              WHEN NOT TYPEOF(GET_PATH("tp_props", '"rating"')) IN ('INTEGER', 'DECIMAL', 'DOUBLE')
              THEN '|14|'
              ELSE CASE
                WHEN NOT COALESCE(AS_DOUBLE(GET_PATH("tp_props", '"rating"')) IN (1.0, 2.0, 3.0, 4.5), FALSE)
                THEN '|15|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN GET_PATH("tp_props", '"card_holder"') IS NULL
              THEN ''
              WHEN NOT TYPEOF(GET_PATH("tp_props", '"card_holder"')) IN ('VARCHAR')
              THEN '|16|'
              ELSE CASE
                WHEN LENGTH(AS_VARCHAR(GET_PATH("tp_props", '"card_holder"'))) < 2
                THEN '|17|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN GET_PATH("tp_props", '"shipping"') IS NULL
              THEN ''
              WHEN NOT TYPEOF(GET_PATH("tp_props", '"shipping"')) IN ('OBJECT')
              THEN '|18|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN GET_PATH(GET_PATH("tp_props", '"shipping"'), '"country"') IS NULL
              THEN CASE
                WHEN TYPEOF(GET_PATH("tp_props", '"shipping"')) IN ('OBJECT')
                THEN '|19|'
                ELSE ''
              END
              WHEN NOT TYPEOF(GET_PATH(GET_PATH("tp_props", '"shipping"'), '"country"')) IN ('VARCHAR')
              THEN '|20|'
              ELSE CASE
                WHEN NOT REGEXP_INSTR(
                  AS_VARCHAR(GET_PATH(GET_PATH("tp_props", '"shipping"'), '"country"')),
                  '^[A-Z]{2}$'
                ) > 0
                THEN '|21|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN GET_PATH(GET_PATH("tp_props", '"shipping"'), '"express"') IS NULL
              THEN ''
              WHEN NOT TYPEOF(GET_PATH(GET_PATH("tp_props", '"shipping"'), '"express"')) IN ('BOOLEAN')
              THEN '|22|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN COALESCE(
                ARRAY_TO_STRING(
                  ARRAY_EXCEPT(
                    OBJECT_KEYS(
                      CASE
                        WHEN TYPEOF(GET_PATH("tp_props", '"shipping"')) IN ('OBJECT')
                        THEN GET_PATH("tp_props", '"shipping"')
                      END
                    ),
                    ARRAY_CONSTRUCT('country', 'express')
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
              WHEN GET_PATH("tp_props", '"products"') IS NULL
              THEN ''
              WHEN NOT TYPEOF(GET_PATH("tp_props", '"products"')) IN ('ARRAY')
              THEN '|24|'
              ELSE CASE
                WHEN (
                  ARRAY_SIZE(GET_PATH("tp_props", '"products"')) < 1
                  OR ARRAY_SIZE(GET_PATH("tp_props", '"products"')) > 50
                )
                THEN '|25|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN ARRAY_SIZE(
                FILTER(
                  GET_PATH("tp_props", '"products"'),
                  x_products -> CHARINDEX(
                    '|26|',
                    CASE
                      WHEN x_products IS NULL
                      THEN ''
                      WHEN NOT TYPEOF(x_products) IN ('OBJECT')
                      THEN '|26|'
                      ELSE ''
                    END
                  ) > 0
                )
              ) > 0
              THEN '|26|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN ARRAY_SIZE(
                FILTER(
                  GET_PATH("tp_props", '"products"'),
                  x_products -> CHARINDEX(
                    '|27|',
                    CASE
                      WHEN GET_PATH(x_products, '"sku"') IS NULL
                      THEN CASE WHEN TYPEOF(x_products) IN ('OBJECT') THEN '|27|' ELSE '' END
                      WHEN NOT TYPEOF(GET_PATH(x_products, '"sku"')) IN ('VARCHAR')
                      THEN '|28|'
                      ELSE ''
                    END
                  ) > 0
                )
              ) > 0
              THEN '|27|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN ARRAY_SIZE(
                FILTER(
                  GET_PATH("tp_props", '"products"'),
                  x_products -> CHARINDEX(
                    '|28|',
                    CASE
                      WHEN GET_PATH(x_products, '"sku"') IS NULL
                      THEN CASE WHEN TYPEOF(x_products) IN ('OBJECT') THEN '|27|' ELSE '' END
                      WHEN NOT TYPEOF(GET_PATH(x_products, '"sku"')) IN ('VARCHAR')
                      THEN '|28|'
                      ELSE ''
                    END
                  ) > 0
                )
              ) > 0
              THEN '|28|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN ARRAY_SIZE(
                FILTER(
                  GET_PATH("tp_props", '"products"'),
                  x_products -> CHARINDEX(
                    '|29|',
                    CASE
                      WHEN GET_PATH(x_products, '"price"') IS NULL
                      THEN ''
                      WHEN NOT TYPEOF(GET_PATH(x_products, '"price"')) IN ('INTEGER', 'DECIMAL', 'DOUBLE')
                      THEN '|29|'
                      ELSE CASE WHEN AS_DOUBLE(GET_PATH(x_products, '"price"')) < 0.0 THEN '|30|' ELSE '' END
                    END
                  ) > 0
                )
              ) > 0
              THEN '|29|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN ARRAY_SIZE(
                FILTER(
                  GET_PATH("tp_props", '"products"'),
                  x_products -> CHARINDEX(
                    '|30|',
                    CASE
                      WHEN GET_PATH(x_products, '"price"') IS NULL
                      THEN ''
                      WHEN NOT TYPEOF(GET_PATH(x_products, '"price"')) IN ('INTEGER', 'DECIMAL', 'DOUBLE')
                      THEN '|29|'
                      ELSE CASE WHEN AS_DOUBLE(GET_PATH(x_products, '"price"')) < 0.0 THEN '|30|' ELSE '' END
                    END
                  ) > 0
                )
              ) > 0
              THEN '|30|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN ARRAY_SIZE(
                FILTER(
                  GET_PATH("tp_props", '"products"'),
                  x_products -> CHARINDEX(
                    '|31|',
                    CASE
                      WHEN COALESCE(
                        ARRAY_TO_STRING(
                          ARRAY_EXCEPT(
                            OBJECT_KEYS(CASE WHEN TYPEOF(x_products) IN ('OBJECT') THEN x_products END),
                            ARRAY_CONSTRUCT('sku', 'price')
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
              ) > 0
              THEN '|31|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN COALESCE(
                ARRAY_TO_STRING(
                  ARRAY_EXCEPT(
                    OBJECT_KEYS(CASE WHEN TYPEOF("tp_props") IN ('OBJECT') THEN "tp_props" END),
                    ARRAY_CONSTRUCT(
                      'order_id',
                      'revenue',
                      'quantity',
                      'coupon',
                      'gift',
                      'rating',
                      'card_holder',
                      'shipping',
                      'products'
                    )
                  ),
                  ', '
                ),
                ''
              ) <> ''
              THEN '|32|'
              ELSE ''
            END,
            ''
          )
        )
        WHEN "tp_event" = 'Coupon Entered'
        THEN CONCAT(
          '|33|',
          COALESCE(
            CASE
              WHEN GET_PATH("tp_props", '"code"') IS NULL
              THEN ''
              WHEN NOT TYPEOF(GET_PATH("tp_props", '"code"')) IN ('VARCHAR')
              THEN '|34|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN COALESCE(
                ARRAY_TO_STRING(
                  ARRAY_EXCEPT(
                    OBJECT_KEYS(CASE WHEN TYPEOF("tp_props") IN ('OBJECT') THEN "tp_props" END),
                    ARRAY_CONSTRUCT('code')
                  ),
                  ', '
                ),
                ''
              ) <> ''
              THEN '|35|'
              ELSE ''
            END,
            ''
          )
        )
        WHEN "tp_event" = 'Wallet Opened'
        THEN CONCAT(
          '|36|',
          COALESCE(
            CASE
              WHEN NOT "tp_platform" IS NULL AND NOT "tp_platform" IN ('ios')
              THEN '|37|'
              ELSE ''
            END,
            ''
          )
        )
        ELSE '|0|'
      END AS tp_codes
    FROM source
  ) AS s
), seen AS (
  SELECT
    "tp_event" AS event,
    COUNT(*) AS seen,
    SUM(CASE WHEN "tp_codes" <> '' THEN 1 ELSE 0 END) AS invalid,
    MIN("tp_ts") AS first_seen,
    MAX("tp_ts") AS last_seen
  FROM checked
  GROUP BY
    "tp_event"
), rules AS (
  SELECT
    *
  FROM (VALUES
    ('1', 'Order Completed', 'unplanned-platform', NULL, 's16', 'no'),
    ('2', 'Order Completed', 'missing-property', 'order_id', 's17', 'no'),
    ('3', 'Order Completed', 'wrong-type', 'order_id', 's1', 'no'),
    ('4', 'Order Completed', 'pattern', 'order_id', 's1', 'no'),
    ('5', 'Order Completed', 'missing-property', 'revenue', 's17', 'no'),
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
    ('19', 'Order Completed', 'missing-property', 'shipping.country', 's17', 'no'),
    ('20', 'Order Completed', 'wrong-type', 'shipping.country', 's9', 'no'),
    ('21', 'Order Completed', 'pattern', 'shipping.country', 's9', 'no'),
    ('22', 'Order Completed', 'wrong-type', 'shipping.express', 's10', 'no'),
    ('23', 'Order Completed', 'unplanned-property', 'shipping', 's18', 'no'),
    ('24', 'Order Completed', 'wrong-type', 'products', 's11', 'no'),
    ('25', 'Order Completed', 'items', 'products', 's11', 'no'),
    ('26', 'Order Completed', 'wrong-type', 'products[]', 's11', 'no'),
    ('27', 'Order Completed', 'missing-property', 'products[].sku', 's17', 'no'),
    ('28', 'Order Completed', 'wrong-type', 'products[].sku', 's11', 'no'),
    ('29', 'Order Completed', 'wrong-type', 'products[].price', 's11', 'no'),
    ('30', 'Order Completed', 'range', 'products[].price', 's11', 'no'),
    ('31', 'Order Completed', 'unplanned-property', 'products[]', 's11', 'no'),
    ('32', 'Order Completed', 'unplanned-property', NULL, 's19', 'no'),
    ('33', 'Coupon Entered', 'deprecated-event', NULL, 's20', 'no'),
    ('34', 'Coupon Entered', 'wrong-type', 'code', 's12', 'no'),
    ('35', 'Coupon Entered', 'unplanned-property', NULL, 's21', 'no'),
    ('36', 'Wallet Opened', 'draft-event', NULL, 's22', 'no'),
    ('37', 'Wallet Opened', 'unplanned-platform', NULL, 's16', 'no'),
    ('38', 'identify', 'missing-trait', 'email', 's17', 'no'),
    ('39', 'identify', 'trait', 'email', 's14', 'yes'),
    ('40', 'identify', 'trait', 'email', 's14', 'yes'),
    ('41', 'identify', 'trait', 'plan_tier', 's15', 'no'),
    ('42', 'identify', 'trait', 'plan_tier', 's15', 'no')) AS r(rule_id, rule_event, rule_check, rule_property, rule_sample, rule_pii)
), hits AS (
  SELECT
    "c"."tp_event" AS event,
    "r"."rule_check",
    "r"."rule_property",
    "r"."rule_pii",
    CASE "r"."rule_sample"
      WHEN 's1'
      THEN GET_PATH("tp_props", '"order_id"')
      WHEN 's2'
      THEN GET_PATH("tp_props", '"revenue"')
      WHEN 's3'
      THEN GET_PATH("tp_props", '"quantity"')
      WHEN 's4'
      THEN GET_PATH("tp_props", '"coupon"')
      WHEN 's5'
      THEN GET_PATH("tp_props", '"gift"')
      WHEN 's6'
      THEN GET_PATH("tp_props", '"rating"')
      WHEN 's7'
      THEN GET_PATH("tp_props", '"card_holder"')
      WHEN 's8'
      THEN GET_PATH("tp_props", '"shipping"')
      WHEN 's9'
      THEN GET_PATH(GET_PATH("tp_props", '"shipping"'), '"country"')
      WHEN 's10'
      THEN GET_PATH(GET_PATH("tp_props", '"shipping"'), '"express"')
      WHEN 's11'
      THEN GET_PATH("tp_props", '"products"')
      WHEN 's12'
      THEN GET_PATH("tp_props", '"code"')
      WHEN 's13'
      THEN GET_PATH("tp_props", '"balance"')
      WHEN 's14'
      THEN GET_PATH("tp_traits", '"email"')
      WHEN 's15'
      THEN GET_PATH("tp_traits", '"plan_tier"')
    END AS sample_value,
    CASE "r"."rule_sample"
      WHEN 's16'
      THEN "tp_platform"
      WHEN 's17'
      THEN '(missing)'
      WHEN 's18'
      THEN SUBSTRING(
        COALESCE(
          ARRAY_TO_STRING(
            ARRAY_EXCEPT(
              OBJECT_KEYS(
                CASE
                  WHEN TYPEOF(GET_PATH("tp_props", '"shipping"')) IN ('OBJECT')
                  THEN GET_PATH("tp_props", '"shipping"')
                END
              ),
              ARRAY_CONSTRUCT('country', 'express')
            ),
            ', '
          ),
          ''
        ),
        1,
        60
      )
      WHEN 's19'
      THEN SUBSTRING(
        COALESCE(
          ARRAY_TO_STRING(
            ARRAY_EXCEPT(
              OBJECT_KEYS(CASE WHEN TYPEOF("tp_props") IN ('OBJECT') THEN "tp_props" END),
              ARRAY_CONSTRUCT(
                'order_id',
                'revenue',
                'quantity',
                'coupon',
                'gift',
                'rating',
                'card_holder',
                'shipping',
                'products'
              )
            ),
            ', '
          ),
          ''
        ),
        1,
        60
      )
      WHEN 's20'
      THEN 'send Order Completed instead'
      WHEN 's21'
      THEN SUBSTRING(
        COALESCE(
          ARRAY_TO_STRING(
            ARRAY_EXCEPT(
              OBJECT_KEYS(CASE WHEN TYPEOF("tp_props") IN ('OBJECT') THEN "tp_props" END),
              ARRAY_CONSTRUCT('code')
            ),
            ', '
          ),
          ''
        ),
        1,
        60
      )
      WHEN 's22'
      THEN 'draft'
    END AS sample_text
  FROM checked AS c
  JOIN rules AS r
    ON "r"."rule_event" = "c"."tp_event"
  WHERE
    "c"."tp_codes" <> ''
    AND CHARINDEX(CONCAT('|', COALESCE("r"."rule_id", ''), '|'), "c"."tp_codes") > 0
), found AS (
  SELECT
    event,
    rule_check,
    rule_property,
    COUNT(*) AS n,
    MIN("sample") AS sample_1,
    MAX("sample") AS sample_2
  FROM (
    SELECT
      event,
      rule_check,
      rule_property,
      COALESCE(
        "sample_text",
        CASE
          WHEN "rule_pii" = 'yes'
          THEN CONCAT(
            COALESCE(
              CASE
                WHEN TYPEOF("sample_value") IN ('VARCHAR')
                THEN 'string'
                WHEN TYPEOF("sample_value") IN ('INTEGER')
                THEN 'integer'
                WHEN TYPEOF("sample_value") IN ('DECIMAL', 'DOUBLE')
                THEN 'number'
                WHEN TYPEOF("sample_value") IN ('BOOLEAN')
                THEN 'boolean'
                WHEN TYPEOF("sample_value") IN ('OBJECT')
                THEN 'object'
                WHEN TYPEOF("sample_value") IN ('ARRAY')
                THEN 'array'
                WHEN TYPEOF("sample_value") IN ('NULL_VALUE')
                THEN 'null'
              END,
              ''
            ),
            ' of length ',
            COALESCE(CAST(LENGTH(TO_JSON("sample_value")) AS VARCHAR), '')
          )
          WHEN "rule_check" = 'wrong-type'
          THEN CONCAT(
            COALESCE(
              CASE
                WHEN TYPEOF("sample_value") IN ('VARCHAR')
                THEN 'string'
                WHEN TYPEOF("sample_value") IN ('INTEGER')
                THEN 'integer'
                WHEN TYPEOF("sample_value") IN ('DECIMAL', 'DOUBLE')
                THEN 'number'
                WHEN TYPEOF("sample_value") IN ('BOOLEAN')
                THEN 'boolean'
                WHEN TYPEOF("sample_value") IN ('OBJECT')
                THEN 'object'
                WHEN TYPEOF("sample_value") IN ('ARRAY')
                THEN 'array'
                WHEN TYPEOF("sample_value") IN ('NULL_VALUE')
                THEN 'null'
              END,
              ''
            ),
            ': ',
            COALESCE(SUBSTRING(TO_JSON("sample_value"), 1, 60), '')
          )
          WHEN TYPEOF("sample_value") IN ('VARCHAR')
          THEN SUBSTRING(AS_VARCHAR("sample_value"), 1, 60)
          ELSE SUBSTRING(TO_JSON("sample_value"), 1, 60)
        END
      ) AS sample
    FROM hits
    UNION ALL
    SELECT
      "tp_event" AS event,
      'unplanned-event' AS rule_check,
      CAST(NULL AS VARCHAR) AS rule_property,
      'not in the plan' AS sample
    FROM checked
    WHERE
      "tp_codes" = '|0|'
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
    "event" AS "event",
    "seen" AS "seen",
    "seen" - "invalid" AS "valid",
    CAST("first_seen" AS VARCHAR) AS "first_seen",
    CAST("last_seen" AS VARCHAR) AS "last_seen",
    CAST(NULL AS VARCHAR) AS "check",
    CAST(NULL AS VARCHAR) AS "property",
    CAST(NULL AS BIGINT) AS "count",
    CAST(NULL AS VARCHAR) AS "sample_1",
    CAST(NULL AS VARCHAR) AS "sample_2"
  FROM seen
  UNION ALL
  SELECT
    "event" AS "event",
    CAST(NULL AS BIGINT) AS "seen",
    CAST(NULL AS BIGINT) AS "valid",
    CAST(NULL AS VARCHAR) AS "first_seen",
    CAST(NULL AS VARCHAR) AS "last_seen",
    "rule_check" AS "check",
    "rule_property" AS "property",
    "n" AS "count",
    "sample_1" AS "sample_1",
    "sample_2" AS "sample_2"
  FROM found
) AS result
ORDER BY
  "event" NULLS FIRST,
  "check" NULLS FIRST,
  "property" NULLS FIRST
