WITH source AS (
  SELECT
    *,
    LOWER(COALESCE("type", 'track')) AS tp_kind,
    CASE
      WHEN LOWER(COALESCE("type", 'track')) = 'identify'
      THEN 'identify'
      ELSE COALESCE("event", '(no name)')
    END AS tp_event,
    CASE
      WHEN REGEXP_MATCHES(LOWER((
        "context" -> '$."library"."name"'
      ) ->> '$'), 'ios|swift')
      THEN 'ios'
      WHEN REGEXP_MATCHES(LOWER((
        "context" -> '$."library"."name"'
      ) ->> '$'), 'android|kotlin')
      THEN 'android'
      WHEN REGEXP_MATCHES(
        LOWER((
          "context" -> '$."library"."name"'
        ) ->> '$'),
        'analytics\.js|analytics-next|rudder-sdk-js|javascript|browser'
      )
      THEN 'web'
      WHEN REGEXP_MATCHES(
        LOWER((
          "context" -> '$."library"."name"'
        ) ->> '$'),
        'python|node|java|go|ruby|php|dotnet|net|server'
      )
      THEN 'backend'
      ELSE LOWER((
        "context" -> '$."device"."type"'
      ) ->> '$')
    END AS tp_platform,
    "timestamp" AS tp_ts,
    "properties" AS tp_props,
    COALESCE("traits", "context" -> '$."traits"') AS tp_traits
  FROM analytics.tracks
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
          CASE
            WHEN (
              "tp_traits" -> '$."email"'
            ) IS NULL
            THEN '|38|'
            WHEN NOT JSON_TYPE("tp_traits" -> '$."email"') IN ('VARCHAR')
            THEN '|39|'
            ELSE CASE
              WHEN NOT REGEXP_MATCHES((
                (
                  "tp_traits" -> '$."email"'
                ) ->> '$'
              ), '^([^@\s]+@[^@\s]+\.[^@\s]+)$')
              THEN '|40|'
              ELSE ''
            END
          END,
          CASE
            WHEN (
              "tp_traits" -> '$."plan_tier"'
            ) IS NULL
            THEN ''
            WHEN NOT JSON_TYPE("tp_traits" -> '$."plan_tier"') IN ('VARCHAR')
            THEN '|41|'
            ELSE CASE
              WHEN NOT COALESCE((
                (
                  "tp_traits" -> '$."plan_tier"'
                ) ->> '$'
              ) IN ('free', 'pro'), FALSE)
              THEN '|42|'
              ELSE ''
            END
          END
        )
        WHEN "tp_event" = 'Order Completed'
        THEN CONCAT(
          CASE
            WHEN NOT "tp_platform" IS NULL AND NOT "tp_platform" IN ('backend')
            THEN '|1|'
            ELSE ''
          END,
          CASE
            WHEN (
              "tp_props" -> '$."order_id"'
            ) IS NULL
            THEN '|2|'
            WHEN NOT JSON_TYPE("tp_props" -> '$."order_id"') IN ('VARCHAR')
            THEN '|3|'
            ELSE CASE
              WHEN NOT REGEXP_MATCHES((
                (
                  "tp_props" -> '$."order_id"'
                ) ->> '$'
              ), '^o-[0-9]+$')
              THEN '|4|'
              ELSE ''
            END
          END,
          CASE
            WHEN (
              "tp_props" -> '$."revenue"'
            ) IS NULL
            THEN '|5|'
            WHEN NOT JSON_TYPE("tp_props" -> '$."revenue"') IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE')
            THEN '|6|'
            ELSE CASE
              WHEN (
                TRY_CAST((
                  "tp_props" -> '$."revenue"'
                ) ->> '$' AS DOUBLE) < 0.0
                OR TRY_CAST((
                  "tp_props" -> '$."revenue"'
                ) ->> '$' AS DOUBLE) >= 100000.0
              )
              THEN '|7|'
              ELSE ''
            END
          END,
          CASE
            WHEN (
              "tp_props" -> '$."quantity"'
            ) IS NULL
            THEN ''
            WHEN NOT JSON_TYPE("tp_props" -> '$."quantity"') IN ('BIGINT', 'UBIGINT', 'HUGEINT')
            THEN '|8|'
            ELSE CASE
              WHEN TRY_CAST((
                "tp_props" -> '$."quantity"'
              ) ->> '$' AS DOUBLE) < 1.0
              THEN '|9|'
              ELSE ''
            END
          END,
          CASE
            WHEN (
              "tp_props" -> '$."coupon"'
            ) IS NULL
            THEN ''
            WHEN NOT JSON_TYPE("tp_props" -> '$."coupon"') IN ('VARCHAR', 'NULL')
            THEN '|10|'
            ELSE CASE
              WHEN JSON_TYPE("tp_props" -> '$."coupon"') IN ('VARCHAR')
              AND LENGTH((
                "tp_props" -> '$."coupon"'
              ) ->> '$') > 20
              THEN '|11|'
              ELSE ''
            END
          END,
          CASE
            WHEN (
              "tp_props" -> '$."gift"'
            ) IS NULL
            THEN ''
            WHEN NOT JSON_TYPE("tp_props" -> '$."gift"') IN ('BOOLEAN')
            THEN '|12|'
            ELSE CASE
              WHEN NOT COALESCE(CAST("tp_props" -> '$."gift"' AS TEXT) IN ('false'), FALSE)
              THEN '|13|'
              ELSE ''
            END
          END,
          CASE
            WHEN (
              "tp_props" -> '$."rating"'
            ) IS NULL
            THEN ''
            WHEN NOT JSON_TYPE("tp_props" -> '$."rating"') IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE')
            THEN '|14|'
            ELSE CASE
              WHEN NOT COALESCE(
                TRY_CAST((
                  "tp_props" -> '$."rating"'
                ) ->> '$' AS DOUBLE) IN (1.0, 2.0, 3.0, 4.5),
                FALSE
              )
              THEN '|15|'
              ELSE ''
            END
          END,
          CASE
            WHEN (
              "tp_props" -> '$."card_holder"'
            ) IS NULL
            THEN ''
            WHEN NOT JSON_TYPE("tp_props" -> '$."card_holder"') IN ('VARCHAR')
            THEN '|16|'
            ELSE CASE
              WHEN LENGTH((
                "tp_props" -> '$."card_holder"'
              ) ->> '$') < 2
              THEN '|17|'
              ELSE ''
            END
          END,
          CASE
            WHEN (
              "tp_props" -> '$."shipping"'
            ) IS NULL
            THEN ''
            WHEN NOT JSON_TYPE("tp_props" -> '$."shipping"') IN ('OBJECT')
            THEN '|18|'
            ELSE ''
          END,
          CASE
            WHEN (
              "tp_props" -> '$."shipping"' -> '$."country"'
            ) IS NULL
            THEN CASE
              WHEN JSON_TYPE("tp_props" -> '$."shipping"') IN ('OBJECT')
              THEN '|19|'
              ELSE ''
            END
            WHEN NOT JSON_TYPE("tp_props" -> '$."shipping"' -> '$."country"') IN ('VARCHAR')
            THEN '|20|'
            ELSE CASE
              WHEN NOT REGEXP_MATCHES(
                (
                  (
                    "tp_props" -> '$."shipping"' -> '$."country"'
                  ) ->> '$'
                ),
                '^[A-Z]{2}$'
              )
              THEN '|21|'
              ELSE ''
            END
          END,
          CASE
            WHEN (
              "tp_props" -> '$."shipping"' -> '$."express"'
            ) IS NULL
            THEN ''
            WHEN NOT JSON_TYPE("tp_props" -> '$."shipping"' -> '$."express"') IN ('BOOLEAN')
            THEN '|22|'
            ELSE ''
          END,
          CASE
            WHEN COALESCE(
              ARRAY_TO_STRING(
                LIST_FILTER(
                  JSON_KEYS(
                    CASE
                      WHEN JSON_TYPE("tp_props" -> '$."shipping"') IN ('OBJECT')
                      THEN "tp_props" -> '$."shipping"'
                    END
                  ),
                  LAMBDA k : NOT ARRAY_CONTAINS(['country', 'express'], k)
                ),
                ', '
              ),
              ''
            ) <> ''
            THEN '|23|'
            ELSE ''
          END,
          CASE
            WHEN (
              "tp_props" -> '$."products"'
            ) IS NULL
            THEN ''
            WHEN NOT JSON_TYPE("tp_props" -> '$."products"') IN ('ARRAY')
            THEN '|24|'
            ELSE CASE
              WHEN (
                JSON_ARRAY_LENGTH("tp_props" -> '$."products"') < 1
                OR JSON_ARRAY_LENGTH("tp_props" -> '$."products"') > 50
              )
              THEN '|25|'
              ELSE ''
            END
          END,
          CASE
            WHEN LENGTH(
              LIST_FILTER(
                LIST_TRANSFORM(
                  TRY_CAST("tp_props" -> '$."products"' AS JSON[]),
                  LAMBDA __i : COALESCE(__i, CAST('null' AS JSON))
                ),
                LAMBDA x_products : STRPOS(
                  CASE
                    WHEN x_products IS NULL
                    THEN ''
                    WHEN NOT JSON_TYPE(x_products) IN ('OBJECT')
                    THEN '|26|'
                    ELSE ''
                  END,
                  '|26|'
                ) > 0
              )
            ) > 0
            THEN '|26|'
            ELSE ''
          END,
          CASE
            WHEN LENGTH(
              LIST_FILTER(
                LIST_TRANSFORM(
                  TRY_CAST("tp_props" -> '$."products"' AS JSON[]),
                  LAMBDA __i : COALESCE(__i, CAST('null' AS JSON))
                ),
                LAMBDA x_products : STRPOS(
                  CASE
                    WHEN (
                      x_products -> '$."sku"'
                    ) IS NULL
                    THEN CASE WHEN JSON_TYPE(x_products) IN ('OBJECT') THEN '|27|' ELSE '' END
                    WHEN NOT JSON_TYPE(x_products -> '$."sku"') IN ('VARCHAR')
                    THEN '|28|'
                    ELSE ''
                  END,
                  '|27|'
                ) > 0
              )
            ) > 0
            THEN '|27|'
            ELSE ''
          END,
          CASE
            WHEN LENGTH(
              LIST_FILTER(
                LIST_TRANSFORM(
                  TRY_CAST("tp_props" -> '$."products"' AS JSON[]),
                  LAMBDA __i : COALESCE(__i, CAST('null' AS JSON))
                ),
                LAMBDA x_products : STRPOS(
                  CASE
                    WHEN (
                      x_products -> '$."sku"'
                    ) IS NULL
                    THEN CASE WHEN JSON_TYPE(x_products) IN ('OBJECT') THEN '|27|' ELSE '' END
                    WHEN NOT JSON_TYPE(x_products -> '$."sku"') IN ('VARCHAR')
                    THEN '|28|'
                    ELSE ''
                  END,
                  '|28|'
                ) > 0
              )
            ) > 0
            THEN '|28|'
            ELSE ''
          END,
          CASE
            WHEN LENGTH(
              LIST_FILTER(
                LIST_TRANSFORM(
                  TRY_CAST("tp_props" -> '$."products"' AS JSON[]),
                  LAMBDA __i : COALESCE(__i, CAST('null' AS JSON))
                ),
                LAMBDA x_products : STRPOS(
                  CASE
                    WHEN (
                      x_products -> '$."price"'
                    ) IS NULL
                    THEN ''
                    WHEN NOT JSON_TYPE(x_products -> '$."price"') IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE')
                    THEN '|29|'
                    ELSE CASE
                      WHEN TRY_CAST((
                        x_products -> '$."price"'
                      ) ->> '$' AS DOUBLE) < 0.0
                      THEN '|30|'
                      ELSE ''
                    END
                  END,
                  '|29|'
                ) > 0
              )
            ) > 0
            THEN '|29|'
            ELSE ''
          END,
          CASE
            WHEN LENGTH(
              LIST_FILTER(
                LIST_TRANSFORM(
                  TRY_CAST("tp_props" -> '$."products"' AS JSON[]),
                  LAMBDA __i : COALESCE(__i, CAST('null' AS JSON))
                ),
                LAMBDA x_products : STRPOS(
                  CASE
                    WHEN (
                      x_products -> '$."price"'
                    ) IS NULL
                    THEN ''
                    WHEN NOT JSON_TYPE(x_products -> '$."price"') IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE')
                    THEN '|29|'
                    ELSE CASE
                      WHEN TRY_CAST((
                        x_products -> '$."price"'
                      ) ->> '$' AS DOUBLE) < 0.0
                      THEN '|30|'
                      ELSE ''
                    END
                  END,
                  '|30|'
                ) > 0
              )
            ) > 0
            THEN '|30|'
            ELSE ''
          END,
          CASE
            WHEN LENGTH(
              LIST_FILTER(
                LIST_TRANSFORM(
                  TRY_CAST("tp_props" -> '$."products"' AS JSON[]),
                  LAMBDA __i : COALESCE(__i, CAST('null' AS JSON))
                ),
                LAMBDA x_products : STRPOS(
                  CASE
                    WHEN COALESCE(
                      ARRAY_TO_STRING(
                        LIST_FILTER(
                          JSON_KEYS(CASE WHEN JSON_TYPE(x_products) IN ('OBJECT') THEN x_products END),
                          LAMBDA k : NOT ARRAY_CONTAINS(['sku', 'price'], k)
                        ),
                        ', '
                      ),
                      ''
                    ) <> ''
                    THEN '|31|'
                    ELSE ''
                  END,
                  '|31|'
                ) > 0
              )
            ) > 0
            THEN '|31|'
            ELSE ''
          END,
          CASE
            WHEN COALESCE(
              ARRAY_TO_STRING(
                LIST_FILTER(
                  JSON_KEYS(CASE WHEN JSON_TYPE("tp_props") IN ('OBJECT') THEN "tp_props" END),
                  LAMBDA k : NOT ARRAY_CONTAINS(
                    [
                      'order_id',
                      'revenue',
                      'quantity',
                      'coupon',
                      'gift',
                      'rating',
                      'card_holder',
                      'shipping',
                      'products'
                    ],
                    k
                  )
                ),
                ', '
              ),
              ''
            ) <> ''
            THEN '|32|'
            ELSE ''
          END
        )
        WHEN "tp_event" = 'Coupon Entered'
        THEN CONCAT(
          '|33|',
          CASE
            WHEN (
              "tp_props" -> '$."code"'
            ) IS NULL
            THEN ''
            WHEN NOT JSON_TYPE("tp_props" -> '$."code"') IN ('VARCHAR')
            THEN '|34|'
            ELSE ''
          END,
          CASE
            WHEN COALESCE(
              ARRAY_TO_STRING(
                LIST_FILTER(
                  JSON_KEYS(CASE WHEN JSON_TYPE("tp_props") IN ('OBJECT') THEN "tp_props" END),
                  LAMBDA k : NOT ARRAY_CONTAINS(['code'], k)
                ),
                ', '
              ),
              ''
            ) <> ''
            THEN '|35|'
            ELSE ''
          END
        )
        WHEN "tp_event" = 'Wallet Opened'
        THEN CONCAT(
          '|36|',
          CASE
            WHEN NOT "tp_platform" IS NULL AND NOT "tp_platform" IN ('ios')
            THEN '|37|'
            ELSE ''
          END
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
      THEN "tp_props" -> '$."order_id"'
      WHEN 's2'
      THEN "tp_props" -> '$."revenue"'
      WHEN 's3'
      THEN "tp_props" -> '$."quantity"'
      WHEN 's4'
      THEN "tp_props" -> '$."coupon"'
      WHEN 's5'
      THEN "tp_props" -> '$."gift"'
      WHEN 's6'
      THEN "tp_props" -> '$."rating"'
      WHEN 's7'
      THEN "tp_props" -> '$."card_holder"'
      WHEN 's8'
      THEN "tp_props" -> '$."shipping"'
      WHEN 's9'
      THEN "tp_props" -> '$."shipping"' -> '$."country"'
      WHEN 's10'
      THEN "tp_props" -> '$."shipping"' -> '$."express"'
      WHEN 's11'
      THEN "tp_props" -> '$."products"'
      WHEN 's12'
      THEN "tp_props" -> '$."code"'
      WHEN 's13'
      THEN "tp_props" -> '$."balance"'
      WHEN 's14'
      THEN "tp_traits" -> '$."email"'
      WHEN 's15'
      THEN "tp_traits" -> '$."plan_tier"'
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
            LIST_FILTER(
              JSON_KEYS(
                CASE
                  WHEN JSON_TYPE("tp_props" -> '$."shipping"') IN ('OBJECT')
                  THEN "tp_props" -> '$."shipping"'
                END
              ),
              LAMBDA k : NOT ARRAY_CONTAINS(['country', 'express'], k)
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
            LIST_FILTER(
              JSON_KEYS(CASE WHEN JSON_TYPE("tp_props") IN ('OBJECT') THEN "tp_props" END),
              LAMBDA k : NOT ARRAY_CONTAINS(
                [
                  'order_id',
                  'revenue',
                  'quantity',
                  'coupon',
                  'gift',
                  'rating',
                  'card_holder',
                  'shipping',
                  'products'
                ],
                k
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
            LIST_FILTER(
              JSON_KEYS(CASE WHEN JSON_TYPE("tp_props") IN ('OBJECT') THEN "tp_props" END),
              LAMBDA k : NOT ARRAY_CONTAINS(['code'], k)
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
    AND STRPOS("c"."tp_codes", CONCAT('|', "r"."rule_id", '|')) > 0
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
            CASE
              WHEN JSON_TYPE("sample_value") IN ('VARCHAR')
              THEN 'string'
              WHEN JSON_TYPE("sample_value") IN ('BIGINT', 'UBIGINT', 'HUGEINT')
              THEN 'integer'
              WHEN JSON_TYPE("sample_value") IN ('DOUBLE')
              THEN 'number'
              WHEN JSON_TYPE("sample_value") IN ('BOOLEAN')
              THEN 'boolean'
              WHEN JSON_TYPE("sample_value") IN ('OBJECT')
              THEN 'object'
              WHEN JSON_TYPE("sample_value") IN ('ARRAY')
              THEN 'array'
              WHEN JSON_TYPE("sample_value") IN ('NULL')
              THEN 'null'
            END,
            ' of length ',
            CAST(LENGTH(CAST("sample_value" AS TEXT)) AS TEXT)
          )
          WHEN "rule_check" = 'wrong-type'
          THEN CONCAT(
            CASE
              WHEN JSON_TYPE("sample_value") IN ('VARCHAR')
              THEN 'string'
              WHEN JSON_TYPE("sample_value") IN ('BIGINT', 'UBIGINT', 'HUGEINT')
              THEN 'integer'
              WHEN JSON_TYPE("sample_value") IN ('DOUBLE')
              THEN 'number'
              WHEN JSON_TYPE("sample_value") IN ('BOOLEAN')
              THEN 'boolean'
              WHEN JSON_TYPE("sample_value") IN ('OBJECT')
              THEN 'object'
              WHEN JSON_TYPE("sample_value") IN ('ARRAY')
              THEN 'array'
              WHEN JSON_TYPE("sample_value") IN ('NULL')
              THEN 'null'
            END,
            ': ',
            SUBSTRING(CAST("sample_value" AS TEXT), 1, 60)
          )
          WHEN JSON_TYPE("sample_value") IN ('VARCHAR')
          THEN SUBSTRING("sample_value" ->> '$', 1, 60)
          ELSE SUBSTRING(CAST("sample_value" AS TEXT), 1, 60)
        END
      ) AS sample
    FROM hits
    UNION ALL
    SELECT
      "tp_event" AS event,
      'unplanned-event' AS rule_check,
      CAST(NULL AS TEXT) AS rule_property,
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
    CAST("first_seen" AS TEXT) AS "first_seen",
    CAST("last_seen" AS TEXT) AS "last_seen",
    CAST(NULL AS TEXT) AS "check",
    CAST(NULL AS TEXT) AS "property",
    CAST(NULL AS BIGINT) AS "count",
    CAST(NULL AS TEXT) AS "sample_1",
    CAST(NULL AS TEXT) AS "sample_2"
  FROM seen
  UNION ALL
  SELECT
    "event" AS "event",
    CAST(NULL AS BIGINT) AS "seen",
    CAST(NULL AS BIGINT) AS "valid",
    CAST(NULL AS TEXT) AS "first_seen",
    CAST(NULL AS TEXT) AS "last_seen",
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
