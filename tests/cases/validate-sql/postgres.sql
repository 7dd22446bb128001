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
      WHEN LOWER(JSONB_EXTRACT_PATH("context", 'library', 'name') #>> '{}') ~ 'ios|swift'
      THEN 'ios'
      WHEN LOWER(JSONB_EXTRACT_PATH("context", 'library', 'name') #>> '{}') ~ 'android|kotlin'
      THEN 'android'
      WHEN LOWER(JSONB_EXTRACT_PATH("context", 'library', 'name') #>> '{}') ~ 'analytics\.js|analytics-next|rudder-sdk-js|javascript|browser'
      THEN 'web'
      WHEN LOWER(JSONB_EXTRACT_PATH("context", 'library', 'name') #>> '{}') ~ 'python|node|java|go|ruby|php|dotnet|net|server'
      THEN 'backend'
      ELSE LOWER(JSONB_EXTRACT_PATH("context", 'device', 'type') #>> '{}')
    END AS tp_platform,
    "timestamp" AS tp_ts,
    "properties" AS tp_props,
    COALESCE("traits", JSONB_EXTRACT_PATH("context", 'traits')) AS tp_traits
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
            WHEN JSONB_EXTRACT_PATH("tp_traits", 'email') IS NULL
            THEN '|38|'
            WHEN NOT JSONB_TYPEOF(JSONB_EXTRACT_PATH("tp_traits", 'email')) IN ('string')
            THEN '|39|'
            ELSE CASE
              WHEN NOT JSONB_EXTRACT_PATH("tp_traits", 'email') #>> '{}' ~ '^([^@\s]+@[^@\s]+\.[^@\s]+)$'
              THEN '|40|'
              ELSE ''
            END
          END,
          CASE
            WHEN JSONB_EXTRACT_PATH("tp_traits", 'plan_tier') IS NULL
            THEN ''
            WHEN NOT JSONB_TYPEOF(JSONB_EXTRACT_PATH("tp_traits", 'plan_tier')) IN ('string')
            THEN '|41|'
            ELSE CASE
              WHEN NOT COALESCE(JSONB_EXTRACT_PATH("tp_traits", 'plan_tier') #>> '{}' IN ('free', 'pro'), FALSE)
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
            WHEN JSONB_EXTRACT_PATH("tp_props", 'order_id') IS NULL
            THEN '|2|'
            WHEN NOT JSONB_TYPEOF(JSONB_EXTRACT_PATH("tp_props", 'order_id')) IN ('string')
            THEN '|3|'
            ELSE CASE
              WHEN NOT JSONB_EXTRACT_PATH("tp_props", 'order_id') #>> '{}' ~ '^o-[0-9]+$'
              THEN '|4|'
              ELSE ''
            END
          END,
          CASE
            WHEN JSONB_EXTRACT_PATH("tp_props", 'revenue') IS NULL
            THEN '|5|'
            WHEN NOT JSONB_TYPEOF(JSONB_EXTRACT_PATH("tp_props", 'revenue')) IN ('number')
            THEN '|6|'
            ELSE CASE
              WHEN (
                CAST(JSONB_EXTRACT_PATH("tp_props", 'revenue') #>> '{}' AS DOUBLE PRECISION) < 0.0
                OR CAST(JSONB_EXTRACT_PATH("tp_props", 'revenue') #>> '{}' AS DOUBLE PRECISION) >= 100000.0
              )
              THEN '|7|'
              ELSE ''
            END
          END,
          CASE
            WHEN JSONB_EXTRACT_PATH("tp_props", 'quantity') IS NULL
            THEN ''
            WHEN NOT (
              JSONB_TYPEOF(JSONB_EXTRACT_PATH("tp_props", 'quantity')) = 'number'
              AND CAST(JSONB_EXTRACT_PATH("tp_props", 'quantity') AS TEXT) ~ '^-?[0-9]+$'
            )
            THEN '|8|'
            ELSE CASE
              WHEN CAST(JSONB_EXTRACT_PATH("tp_props", 'quantity') #>> '{}' AS DOUBLE PRECISION) < 1.0
              THEN '|9|'
              ELSE ''
            END
          END,
          CASE
            WHEN JSONB_EXTRACT_PATH("tp_props", 'coupon') IS NULL
            THEN ''
            WHEN NOT JSONB_TYPEOF(JSONB_EXTRACT_PATH("tp_props", 'coupon')) IN ('string', 'null')
            THEN '|10|'
            ELSE CASE
              WHEN JSONB_TYPEOF(JSONB_EXTRACT_PATH("tp_props", 'coupon')) IN ('string')
              AND LENGTH(JSONB_EXTRACT_PATH("tp_props", 'coupon') #>> '{}') > 20
              THEN '|11|'
              ELSE ''
            END
          END,
          CASE
            WHEN JSONB_EXTRACT_PATH("tp_props", 'gift') IS NULL
            THEN ''
            WHEN NOT JSONB_TYPEOF(JSONB_EXTRACT_PATH("tp_props", 'gift')) IN ('boolean')
            THEN '|12|'
            ELSE CASE
              WHEN NOT COALESCE(CAST(JSONB_EXTRACT_PATH("tp_props", 'gift') AS TEXT) IN ('false'), FALSE)
              THEN '|13|'
              ELSE ''
            END
          END,
          CASE
            WHEN JSONB_EXTRACT_PATH("tp_props", 'rating') IS NULL
            THEN ''
            WHEN NOT JSONB_TYPEOF(JSONB_EXTRACT_PATH("tp_props", 'rating')) IN ('number')
            THEN '|14|'
            ELSE CASE
              WHEN NOT COALESCE(
                CAST(JSONB_EXTRACT_PATH("tp_props", 'rating') #>> '{}' AS DOUBLE PRECISION) IN (1.0, 2.0, 3.0, 4.5),
                FALSE
              )
              THEN '|15|'
              ELSE ''
            END
          END,
          CASE
            WHEN JSONB_EXTRACT_PATH("tp_props", 'card_holder') IS NULL
            THEN ''
            WHEN NOT JSONB_TYPEOF(JSONB_EXTRACT_PATH("tp_props", 'card_holder')) IN ('string')
            THEN '|16|'
            ELSE CASE
              WHEN LENGTH(JSONB_EXTRACT_PATH("tp_props", 'card_holder') #>> '{}') < 2
              THEN '|17|'
              ELSE ''
            END
          END,
          CASE
            WHEN JSONB_EXTRACT_PATH("tp_props", 'shipping') IS NULL
            THEN ''
            WHEN NOT JSONB_TYPEOF(JSONB_EXTRACT_PATH("tp_props", 'shipping')) IN ('object')
            THEN '|18|'
            ELSE ''
          END,
          CASE
            WHEN JSONB_EXTRACT_PATH(JSONB_EXTRACT_PATH("tp_props", 'shipping'), 'country') IS NULL
            THEN CASE
              WHEN JSONB_TYPEOF(JSONB_EXTRACT_PATH("tp_props", 'shipping')) IN ('object')
              THEN '|19|'
              ELSE ''
            END
            WHEN NOT JSONB_TYPEOF(JSONB_EXTRACT_PATH(JSONB_EXTRACT_PATH("tp_props", 'shipping'), 'country')) IN ('string')
            THEN '|20|'
            ELSE CASE
              WHEN NOT JSONB_EXTRACT_PATH(JSONB_EXTRACT_PATH("tp_props", 'shipping'), 'country') #>> '{}' ~ '^[A-Z]{2}$'
              THEN '|21|'
              ELSE ''
            END
          END,
          CASE
            WHEN JSONB_EXTRACT_PATH(JSONB_EXTRACT_PATH("tp_props", 'shipping'), 'express') IS NULL
            THEN ''
            WHEN NOT JSONB_TYPEOF(JSONB_EXTRACT_PATH(JSONB_EXTRACT_PATH("tp_props", 'shipping'), 'express')) IN ('boolean')
            THEN '|22|'
            ELSE ''
          END,
          CASE
            WHEN COALESCE(
              (
                SELECT
                  STRING_AGG(k, ', ')
                FROM JSONB_OBJECT_KEYS(
                  CASE
                    WHEN JSONB_TYPEOF(JSONB_EXTRACT_PATH("tp_props", 'shipping')) IN ('object')
                    THEN JSONB_EXTRACT_PATH("tp_props", 'shipping')
                  END
                ) AS k
                WHERE
                  NOT k = ANY(
                    CAST(ARRAY['country', 'express'] AS TEXT[])
                  )
              ),
              ''
            ) <> ''
            THEN '|23|'
            ELSE ''
          END,
          CASE
            WHEN JSONB_EXTRACT_PATH("tp_props", 'products') IS NULL
            THEN ''
            WHEN NOT JSONB_TYPEOF(JSONB_EXTRACT_PATH("tp_props", 'products')) IN ('array')
            THEN '|24|'
            ELSE CASE
              WHEN (
                JSONB_ARRAY_LENGTH(JSONB_EXTRACT_PATH("tp_props", 'products')) < 1
                OR JSONB_ARRAY_LENGTH(JSONB_EXTRACT_PATH("tp_props", 'products')) > 50
              )
              THEN '|25|'
              ELSE ''
            END
          END,
          CASE
            WHEN EXISTS(
              SELECT
                1
              FROM JSONB_ARRAY_ELEMENTS(JSONB_EXTRACT_PATH("tp_props", 'products')) AS e(x_products)
              WHERE
                POSITION(
                  '|26|' IN CASE
                    WHEN x_products IS NULL
                    THEN ''
                    WHEN NOT JSONB_TYPEOF(x_products) IN ('object')
                    THEN '|26|'
                    ELSE ''
                  END
                ) > 0
            )
            THEN '|26|'
            ELSE ''
          END,
          CASE
            WHEN EXISTS(
              SELECT
                1
              FROM JSONB_ARRAY_ELEMENTS(JSONB_EXTRACT_PATH("tp_props", 'products')) AS e(x_products)
              WHERE
                POSITION(
                  '|27|' IN CASE
                    WHEN JSONB_EXTRACT_PATH(x_products, 'sku') IS NULL
                    THEN CASE WHEN JSONB_TYPEOF(x_products) IN ('object') THEN '|27|' ELSE '' END
                    WHEN NOT JSONB_TYPEOF(JSONB_EXTRACT_PATH(x_products, 'sku')) IN ('string')
                    THEN '|28|'
                    ELSE ''
                  END
                ) > 0
            )
            THEN '|27|'
            ELSE ''
          END,
          CASE
            WHEN EXISTS(
              SELECT
                1
              FROM JSONB_ARRAY_ELEMENTS(JSONB_EXTRACT_PATH("tp_props", 'products')) AS e(x_products)
              WHERE
                POSITION(
                  '|28|' IN CASE
                    WHEN JSONB_EXTRACT_PATH(x_products, 'sku') IS NULL
                    THEN CASE WHEN JSONB_TYPEOF(x_products) IN ('object') THEN '|27|' ELSE '' END
                    WHEN NOT JSONB_TYPEOF(JSONB_EXTRACT_PATH(x_products, 'sku')) IN ('string')
                    THEN '|28|'
                    ELSE ''
                  END
                ) > 0
            )
            THEN '|28|'
            ELSE ''
          END,
          CASE
            WHEN EXISTS(
              SELECT
                1
              FROM JSONB_ARRAY_ELEMENTS(JSONB_EXTRACT_PATH("tp_props", 'products')) AS e(x_products)
              WHERE
                POSITION(
                  '|29|' IN CASE
                    WHEN JSONB_EXTRACT_PATH(x_products, 'price') IS NULL
                    THEN ''
                    WHEN NOT JSONB_TYPEOF(JSONB_EXTRACT_PATH(x_products, 'price')) IN ('number')
                    THEN '|29|'
                    ELSE CASE
                      WHEN CAST(JSONB_EXTRACT_PATH(x_products, 'price') #>> '{}' AS DOUBLE PRECISION) < 0.0
                      THEN '|30|'
                      ELSE ''
                    END
                  END
                ) > 0
            )
            THEN '|29|'
            ELSE ''
          END,
          CASE
            WHEN EXISTS(
              SELECT
                1
              FROM JSONB_ARRAY_ELEMENTS(JSONB_EXTRACT_PATH("tp_props", 'products')) AS e(x_products)
              WHERE
                POSITION(
                  '|30|' IN CASE
                    WHEN JSONB_EXTRACT_PATH(x_products, 'price') IS NULL
                    THEN ''
                    WHEN NOT JSONB_TYPEOF(JSONB_EXTRACT_PATH(x_products, 'price')) IN ('number')
                    THEN '|29|'
                    ELSE CASE
                      WHEN CAST(JSONB_EXTRACT_PATH(x_products, 'price') #>> '{}' AS DOUBLE PRECISION) < 0.0
                      THEN '|30|'
                      ELSE ''
                    END
                  END
                ) > 0
            )
            THEN '|30|'
            ELSE ''
          END,
          CASE
            WHEN EXISTS(
              SELECT
                1
              FROM JSONB_ARRAY_ELEMENTS(JSONB_EXTRACT_PATH("tp_props", 'products')) AS e(x_products)
              WHERE
                POSITION(
                  '|31|' IN CASE
                    WHEN COALESCE(
                      (
                        SELECT
                          STRING_AGG(k, ', ')
                        FROM JSONB_OBJECT_KEYS(CASE WHEN JSONB_TYPEOF(x_products) IN ('object') THEN x_products END) AS k
                        WHERE
                          NOT k = ANY(
                            CAST(ARRAY['sku', 'price'] AS TEXT[])
                          )
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
          CASE
            WHEN COALESCE(
              (
                SELECT
                  STRING_AGG(k, ', ')
                FROM JSONB_OBJECT_KEYS(CASE WHEN JSONB_TYPEOF("tp_props") IN ('object') THEN "tp_props" END) AS k
                WHERE
                  NOT k = ANY(
                    CAST(ARRAY[
                      'order_id',
                      'revenue',
                      'quantity',
                      'coupon',
                      'gift',
                      'rating',
                      'card_holder',
                      'shipping',
                      'products'
                    ] AS TEXT[])
                  )
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
            WHEN JSONB_EXTRACT_PATH("tp_props", 'code') IS NULL
            THEN ''
            WHEN NOT JSONB_TYPEOF(JSONB_EXTRACT_PATH("tp_props", 'code')) IN ('string')
            THEN '|34|'
            ELSE ''
          END,
          CASE
            WHEN COALESCE(
              (
                SELECT
                  STRING_AGG(k, ', ')
                FROM JSONB_OBJECT_KEYS(CASE WHEN JSONB_TYPEOF("tp_props") IN ('object') THEN "tp_props" END) AS k
                WHERE
                  NOT k = ANY(
                    CAST(ARRAY['code'] AS TEXT[])
                  )
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
      THEN JSONB_EXTRACT_PATH("tp_props", 'order_id')
      WHEN 's2'
      THEN JSONB_EXTRACT_PATH("tp_props", 'revenue')
      WHEN 's3'
      THEN JSONB_EXTRACT_PATH("tp_props", 'quantity')
      WHEN 's4'
      THEN JSONB_EXTRACT_PATH("tp_props", 'coupon')
      WHEN 's5'
      THEN JSONB_EXTRACT_PATH("tp_props", 'gift')
      WHEN 's6'
      THEN JSONB_EXTRACT_PATH("tp_props", 'rating')
      WHEN 's7'
      THEN JSONB_EXTRACT_PATH("tp_props", 'card_holder')
      WHEN 's8'
      THEN JSONB_EXTRACT_PATH("tp_props", 'shipping')
      WHEN 's9'
      THEN JSONB_EXTRACT_PATH(JSONB_EXTRACT_PATH("tp_props", 'shipping'), 'country')
      WHEN 's10'
      THEN JSONB_EXTRACT_PATH(JSONB_EXTRACT_PATH("tp_props", 'shipping'), 'express')
      WHEN 's11'
      THEN JSONB_EXTRACT_PATH("tp_props", 'products')
      WHEN 's12'
      THEN JSONB_EXTRACT_PATH("tp_props", 'code')
      WHEN 's13'
      THEN JSONB_EXTRACT_PATH("tp_props", 'balance')
      WHEN 's14'
      THEN JSONB_EXTRACT_PATH("tp_traits", 'email')
      WHEN 's15'
      THEN JSONB_EXTRACT_PATH("tp_traits", 'plan_tier')
    END AS sample_value,
    CASE "r"."rule_sample"
      WHEN 's16'
      THEN "tp_platform"
      WHEN 's17'
      THEN '(missing)'
      WHEN 's18'
      THEN SUBSTRING(COALESCE(
        (
          SELECT
            STRING_AGG(k, ', ')
          FROM JSONB_OBJECT_KEYS(
            CASE
              WHEN JSONB_TYPEOF(JSONB_EXTRACT_PATH("tp_props", 'shipping')) IN ('object')
              THEN JSONB_EXTRACT_PATH("tp_props", 'shipping')
            END
          ) AS k
          WHERE
            NOT k = ANY(
              CAST(ARRAY['country', 'express'] AS TEXT[])
            )
        ),
        ''
      ) FROM 1 FOR 60)
      WHEN 's19'
      THEN SUBSTRING(COALESCE(
        (
          SELECT
            STRING_AGG(k, ', ')
          FROM JSONB_OBJECT_KEYS(CASE WHEN JSONB_TYPEOF("tp_props") IN ('object') THEN "tp_props" END) AS k
          WHERE
            NOT k = ANY(
              CAST(ARRAY[
                'order_id',
                'revenue',
                'quantity',
                'coupon',
                'gift',
                'rating',
                'card_holder',
                'shipping',
                'products'
              ] AS TEXT[])
            )
        ),
        ''
      ) FROM 1 FOR 60)
      WHEN 's20'
      THEN 'send Order Completed instead'
      WHEN 's21'
      THEN SUBSTRING(COALESCE(
        (
          SELECT
            STRING_AGG(k, ', ')
          FROM JSONB_OBJECT_KEYS(CASE WHEN JSONB_TYPEOF("tp_props") IN ('object') THEN "tp_props" END) AS k
          WHERE
            NOT k = ANY(
              CAST(ARRAY['code'] AS TEXT[])
            )
        ),
        ''
      ) FROM 1 FOR 60)
      WHEN 's22'
      THEN 'draft'
    END AS sample_text
  FROM checked AS c
  JOIN rules AS r
    ON "r"."rule_event" = "c"."tp_event"
  WHERE
    "c"."tp_codes" <> ''
    AND POSITION(CONCAT('|', "r"."rule_id", '|') IN "c"."tp_codes") > 0
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
              WHEN JSONB_TYPEOF("sample_value") IN ('string')
              THEN 'string'
              WHEN JSONB_TYPEOF("sample_value") = 'number'
              AND CAST("sample_value" AS TEXT) ~ '^-?[0-9]+$'
              THEN 'integer'
              WHEN JSONB_TYPEOF("sample_value") = 'number'
              AND NOT CAST("sample_value" AS TEXT) ~ '^-?[0-9]+$'
              THEN 'number'
              WHEN JSONB_TYPEOF("sample_value") IN ('boolean')
              THEN 'boolean'
              WHEN JSONB_TYPEOF("sample_value") IN ('object')
              THEN 'object'
              WHEN JSONB_TYPEOF("sample_value") IN ('array')
              THEN 'array'
              WHEN JSONB_TYPEOF("sample_value") IN ('null')
              THEN 'null'
            END,
            ' of length ',
            CAST(LENGTH(CAST("sample_value" AS TEXT)) AS TEXT)
          )
          WHEN "rule_check" = 'wrong-type'
          THEN CONCAT(
            CASE
              WHEN JSONB_TYPEOF("sample_value") IN ('string')
              THEN 'string'
              WHEN JSONB_TYPEOF("sample_value") = 'number'
              AND CAST("sample_value" AS TEXT) ~ '^-?[0-9]+$'
              THEN 'integer'
              WHEN JSONB_TYPEOF("sample_value") = 'number'
              AND NOT CAST("sample_value" AS TEXT) ~ '^-?[0-9]+$'
              THEN 'number'
              WHEN JSONB_TYPEOF("sample_value") IN ('boolean')
              THEN 'boolean'
              WHEN JSONB_TYPEOF("sample_value") IN ('object')
              THEN 'object'
              WHEN JSONB_TYPEOF("sample_value") IN ('array')
              THEN 'array'
              WHEN JSONB_TYPEOF("sample_value") IN ('null')
              THEN 'null'
            END,
            ': ',
            SUBSTRING(CAST("sample_value" AS TEXT) FROM 1 FOR 60)
          )
          WHEN JSONB_TYPEOF("sample_value") IN ('string')
          THEN SUBSTRING("sample_value" #>> '{}' FROM 1 FOR 60)
          ELSE SUBSTRING(CAST("sample_value" AS TEXT) FROM 1 FOR 60)
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
