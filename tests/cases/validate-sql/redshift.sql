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
      WHEN LOWER(CAST("context"[__path] AS VARCHAR)) ~ 'ios|swift'
      THEN 'ios'
      WHEN LOWER(CAST("context"[__path] AS VARCHAR)) ~ 'android|kotlin'
      THEN 'android'
      WHEN LOWER(CAST("context"[__path] AS VARCHAR)) ~ 'analytics\\.js|analytics-next|rudder-sdk-js|javascript|browser'
      THEN 'web'
      WHEN LOWER(CAST("context"[__path] AS VARCHAR)) ~ 'python|node|java|go|ruby|php|dotnet|net|server'
      THEN 'backend'
      ELSE LOWER(CAST("context"[__path] AS VARCHAR))
    END AS tp_platform,
    "timestamp" AS tp_ts,
    "properties" AS tp_props,
    COALESCE("traits", "context"[__path]) AS tp_traits
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
        THEN CASE
          WHEN "tp_traits"[__path] IS NULL
          THEN '|29|'
          WHEN NOT JSON_TYPEOF("tp_traits"[__path]) IN ('string')
          THEN '|30|'
          ELSE CASE
            WHEN NOT CAST("tp_traits"[__path] AS VARCHAR) ~ '^([^@\\s]+@[^@\\s]+\\.[^@\\s]+)$'
            THEN '|31|'
            ELSE ''
          END
        END || CASE
          WHEN "tp_traits"[__path] IS NULL
          THEN ''
          WHEN NOT JSON_TYPEOF("tp_traits"[__path]) IN ('string')
          THEN '|32|'
          ELSE CASE
            WHEN NOT COALESCE(CAST("tp_traits"[__path] AS VARCHAR) IN ('free', 'pro'), FALSE)
            THEN '|33|'
            ELSE ''
          END
        END
        WHEN "tp_event" = 'Order Completed'
        THEN CASE
          WHEN NOT "tp_platform" IS NULL AND NOT "tp_platform" IN ('backend')
          THEN '|1|'
          ELSE ''
        END || CASE
          WHEN "tp_props"[__path] IS NULL
          THEN '|2|'
          WHEN NOT JSON_TYPEOF("tp_props"[__path]) IN ('string')
          THEN '|3|'
          ELSE CASE
            WHEN NOT CAST("tp_props"[__path] AS VARCHAR) ~ '^o-[0-9]+$'
            THEN '|4|'
            ELSE ''
          END
        END || CASE
          WHEN "tp_props"[__path] IS NULL
          THEN '|5|'
          WHEN NOT JSON_TYPEOF("tp_props"[__path]) IN ('number')
          THEN '|6|'
          ELSE CASE
            WHEN (
              CAST("tp_props"[__path] AS DOUBLE PRECISION) < 0.0
              OR CAST("tp_props"[__path] AS DOUBLE PRECISION) >= 100000.0
            )
            THEN '|7|'
            ELSE ''
          END
        END || CASE
          WHEN "tp_props"[__path] IS NULL
          THEN ''
          WHEN NOT (
            JSON_TYPEOF("tp_props"[__path]) = 'number'
            AND JSON_SERIALIZE("tp_props"[__path]) ~ '^-?[0-9]+$'
          )
          THEN '|8|'
          ELSE CASE WHEN CAST("tp_props"[__path] AS DOUBLE PRECISION) < 1.0 THEN '|9|' ELSE '' END
        END || CASE
          WHEN "tp_props"[__path] IS NULL
          THEN ''
          WHEN NOT JSON_TYPEOF("tp_props"[__path]) IN ('string', 'null')
          THEN '|10|'
          ELSE CASE
            WHEN JSON_TYPEOF("tp_props"[__path]) IN ('string')
            AND LENGTH(CAST("tp_props"[__path] AS VARCHAR)) > 20
            THEN '|11|'
            ELSE ''
          END
        END || CASE
          WHEN "tp_props"[__path] IS NULL
          THEN ''
          WHEN NOT JSON_TYPEOF("tp_props"[__path]) IN ('boolean')
          THEN '|12|'
          ELSE CASE
            WHEN NOT COALESCE(JSON_SERIALIZE("tp_props"[__path]) IN ('false'), FALSE)
            THEN '|13|'
            ELSE ''
          END
        END || CASE
          WHEN "tp_props"[__path] IS NULL
          THEN ''
          WHEN NOT JSON_TYPEOF("tp_props"[__path]) IN ('number')
          THEN '|14|'
          ELSE CASE
            WHEN NOT COALESCE(CAST("tp_props"[__path] AS DOUBLE PRECISION) IN (1.0, 2.0, 3.0, 4.5), FALSE)
            THEN '|15|'
            ELSE ''
          END
        END || CASE
          WHEN "tp_props"[__path] IS NULL
          THEN ''
          WHEN NOT JSON_TYPEOF("tp_props"[__path]) IN ('string')
          THEN '|16|'
          ELSE CASE WHEN LENGTH(CAST("tp_props"[__path] AS VARCHAR)) < 2 THEN '|17|' ELSE '' END
        END || CASE
          WHEN "tp_props"[__path] IS NULL
          THEN ''
          WHEN NOT JSON_TYPEOF("tp_props"[__path]) IN ('object')
          THEN '|18|'
          ELSE ''
        END || CASE
          WHEN "tp_props"[__path][__path] IS NULL
          THEN CASE WHEN JSON_TYPEOF("tp_props"[__path]) IN ('object') THEN '|19|' ELSE '' END
          WHEN NOT JSON_TYPEOF("tp_props"[__path][__path]) IN ('string')
          THEN '|20|'
          ELSE CASE
            WHEN NOT CAST("tp_props"[__path][__path] AS VARCHAR) ~ '^[A-Z]{2}$'
            THEN '|21|'
            ELSE ''
          END
        END || CASE
          WHEN "tp_props"[__path][__path] IS NULL
          THEN ''
          WHEN NOT JSON_TYPEOF("tp_props"[__path][__path]) IN ('boolean')
          THEN '|22|'
          ELSE ''
        END || CASE
          WHEN "tp_props"[__path] IS NULL
          THEN ''
          WHEN NOT JSON_TYPEOF("tp_props"[__path]) IN ('array')
          THEN '|23|'
          ELSE CASE
            WHEN (
              GET_ARRAY_LENGTH("tp_props"[__path]) < 1
              OR GET_ARRAY_LENGTH("tp_props"[__path]) > 50
            )
            THEN '|24|'
            ELSE ''
          END
        END
        WHEN "tp_event" = 'Coupon Entered'
        THEN '|25|' || CASE
          WHEN "tp_props"[__path] IS NULL
          THEN ''
          WHEN NOT JSON_TYPEOF("tp_props"[__path]) IN ('string')
          THEN '|26|'
          ELSE ''
        END
        WHEN "tp_event" = 'Wallet Opened'
        THEN '|27|' || CASE
          WHEN NOT "tp_platform" IS NULL AND NOT "tp_platform" IN ('ios')
          THEN '|28|'
          ELSE ''
        END
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
  FROM (
    SELECT
      '1' AS rule_id,
      'Order Completed' AS rule_event,
      'unplanned-platform' AS rule_check,
      NULL AS rule_property,
      's16' AS rule_sample,
      'no' AS rule_pii
    UNION ALL
    SELECT
      '2',
      'Order Completed',
      'missing-property',
      'order_id',
      's17',
      'no'
    UNION ALL
    SELECT
      '3',
      'Order Completed',
      'wrong-type',
      'order_id',
      's1',
      'no'
    UNION ALL
    SELECT
      '4',
      'Order Completed',
      'pattern',
      'order_id',
      's1',
      'no'
    UNION ALL
    SELECT
      '5',
      'Order Completed',
      'missing-property',
      'revenue',
      's17',
      'no'
    UNION ALL
    SELECT
      '6',
      'Order Completed',
      'wrong-type',
      'revenue',
      's2',
      'no'
    UNION ALL
    SELECT
      '7',
      'Order Completed',
      'range',
      'revenue',
      's2',
      'no'
    UNION ALL
    SELECT
      '8',
      'Order Completed',
      'wrong-type',
      'quantity',
      's3',
      'no'
    UNION ALL
    SELECT
      '9',
      'Order Completed',
      'range',
      'quantity',
      's3',
      'no'
    UNION ALL
    SELECT
      '10',
      'Order Completed',
      'wrong-type',
      'coupon',
      's4',
      'no'
    UNION ALL
    SELECT
      '11',
      'Order Completed',
      'length',
      'coupon',
      's4',
      'no'
    UNION ALL
    SELECT
      '12',
      'Order Completed',
      'wrong-type',
      'gift',
      's5',
      'no'
    UNION ALL
    SELECT
      '13',
      'Order Completed',
      'enum',
      'gift',
      's5',
      'no'
    UNION ALL
    SELECT
      '14',
      'Order Completed',
      'wrong-type',
      'rating',
      's6',
      'no'
    UNION ALL
    SELECT
      '15',
      'Order Completed',
      'enum',
      'rating',
      's6',
      'no'
    UNION ALL
    SELECT
      '16',
      'Order Completed',
      'wrong-type',
      'card_holder',
      's7',
      'yes'
    UNION ALL
    SELECT
      '17',
      'Order Completed',
      'length',
      'card_holder',
      's7',
      'yes'
    UNION ALL
    SELECT
      '18',
      'Order Completed',
      'wrong-type',
      'shipping',
      's8',
      'no'
    UNION ALL
    SELECT
      '19',
      'Order Completed',
      'missing-property',
      'shipping.country',
      's17',
      'no'
    UNION ALL
    SELECT
      '20',
      'Order Completed',
      'wrong-type',
      'shipping.country',
      's9',
      'no'
    UNION ALL
    SELECT
      '21',
      'Order Completed',
      'pattern',
      'shipping.country',
      's9',
      'no'
    UNION ALL
    SELECT
      '22',
      'Order Completed',
      'wrong-type',
      'shipping.express',
      's10',
      'no'
    UNION ALL
    SELECT
      '23',
      'Order Completed',
      'wrong-type',
      'products',
      's11',
      'no'
    UNION ALL
    SELECT
      '24',
      'Order Completed',
      'items',
      'products',
      's11',
      'no'
    UNION ALL
    SELECT
      '25',
      'Coupon Entered',
      'deprecated-event',
      NULL,
      's18',
      'no'
    UNION ALL
    SELECT
      '26',
      'Coupon Entered',
      'wrong-type',
      'code',
      's12',
      'no'
    UNION ALL
    SELECT
      '27',
      'Wallet Opened',
      'draft-event',
      NULL,
      's19',
      'no'
    UNION ALL
    SELECT
      '28',
      'Wallet Opened',
      'unplanned-platform',
      NULL,
      's16',
      'no'
    UNION ALL
    SELECT
      '29',
      'identify',
      'missing-trait',
      'email',
      's17',
      'no'
    UNION ALL
    SELECT
      '30',
      'identify',
      'trait',
      'email',
      's14',
      'yes'
    UNION ALL
    SELECT
      '31',
      'identify',
      'trait',
      'email',
      's14',
      'yes'
    UNION ALL
    SELECT
      '32',
      'identify',
      'trait',
      'plan_tier',
      's15',
      'no'
    UNION ALL
    SELECT
      '33',
      'identify',
      'trait',
      'plan_tier',
      's15',
      'no'
  ) AS r
), hits AS (
  SELECT
    "c"."tp_event" AS event,
    "r"."rule_check",
    "r"."rule_property",
    "r"."rule_pii",
    CASE "r"."rule_sample"
      WHEN 's1'
      THEN "tp_props"[__path]
      WHEN 's2'
      THEN "tp_props"[__path]
      WHEN 's3'
      THEN "tp_props"[__path]
      WHEN 's4'
      THEN "tp_props"[__path]
      WHEN 's5'
      THEN "tp_props"[__path]
      WHEN 's6'
      THEN "tp_props"[__path]
      WHEN 's7'
      THEN "tp_props"[__path]
      WHEN 's8'
      THEN "tp_props"[__path]
      WHEN 's9'
      THEN "tp_props"[__path][__path]
      WHEN 's10'
      THEN "tp_props"[__path][__path]
      WHEN 's11'
      THEN "tp_props"[__path]
      WHEN 's12'
      THEN "tp_props"[__path]
      WHEN 's13'
      THEN "tp_props"[__path]
      WHEN 's14'
      THEN "tp_traits"[__path]
      WHEN 's15'
      THEN "tp_traits"[__path]
    END AS sample_value,
    CASE "r"."rule_sample"
      WHEN 's16'
      THEN "tp_platform"
      WHEN 's17'
      THEN '(missing)'
      WHEN 's18'
      THEN 'send Order Completed instead'
      WHEN 's19'
      THEN 'draft'
    END AS sample_text
  FROM checked AS c
  JOIN rules AS r
    ON "r"."rule_event" = "c"."tp_event"
  WHERE
    "c"."tp_codes" <> ''
    AND POSITION('|' || "r"."rule_id" || '|' IN "c"."tp_codes") > 0
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
          THEN CASE
            WHEN JSON_TYPEOF("sample_value") IN ('string')
            THEN 'string'
            WHEN JSON_TYPEOF("sample_value") = 'number'
            AND JSON_SERIALIZE("sample_value") ~ '^-?[0-9]+$'
            THEN 'integer'
            WHEN JSON_TYPEOF("sample_value") = 'number'
            AND NOT JSON_SERIALIZE("sample_value") ~ '^-?[0-9]+$'
            THEN 'number'
            WHEN JSON_TYPEOF("sample_value") IN ('boolean')
            THEN 'boolean'
            WHEN JSON_TYPEOF("sample_value") IN ('object')
            THEN 'object'
            WHEN JSON_TYPEOF("sample_value") IN ('array')
            THEN 'array'
            WHEN JSON_TYPEOF("sample_value") IN ('null')
            THEN 'null'
          END || ' of length ' || CAST(LENGTH(JSON_SERIALIZE("sample_value")) AS VARCHAR(MAX))
          WHEN "rule_check" = 'wrong-type'
          THEN CASE
            WHEN JSON_TYPEOF("sample_value") IN ('string')
            THEN 'string'
            WHEN JSON_TYPEOF("sample_value") = 'number'
            AND JSON_SERIALIZE("sample_value") ~ '^-?[0-9]+$'
            THEN 'integer'
            WHEN JSON_TYPEOF("sample_value") = 'number'
            AND NOT JSON_SERIALIZE("sample_value") ~ '^-?[0-9]+$'
            THEN 'number'
            WHEN JSON_TYPEOF("sample_value") IN ('boolean')
            THEN 'boolean'
            WHEN JSON_TYPEOF("sample_value") IN ('object')
            THEN 'object'
            WHEN JSON_TYPEOF("sample_value") IN ('array')
            THEN 'array'
            WHEN JSON_TYPEOF("sample_value") IN ('null')
            THEN 'null'
          END || ': ' || SUBSTRING(JSON_SERIALIZE("sample_value") FROM 1 FOR 60)
          WHEN JSON_TYPEOF("sample_value") IN ('string')
          THEN SUBSTRING(CAST("sample_value" AS VARCHAR) FROM 1 FOR 60)
          ELSE SUBSTRING(JSON_SERIALIZE("sample_value") FROM 1 FOR 60)
        END
      ) AS sample
    FROM hits
    UNION ALL
    SELECT
      "tp_event" AS event,
      'unplanned-event' AS rule_check,
      CAST(NULL AS VARCHAR(MAX)) AS rule_property,
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
    CAST("first_seen" AS VARCHAR(MAX)) AS "first_seen",
    CAST("last_seen" AS VARCHAR(MAX)) AS "last_seen",
    CAST(NULL AS VARCHAR(MAX)) AS "check",
    CAST(NULL AS VARCHAR(MAX)) AS "property",
    CAST(NULL AS BIGINT) AS "count",
    CAST(NULL AS VARCHAR(MAX)) AS "sample_1",
    CAST(NULL AS VARCHAR(MAX)) AS "sample_2"
  FROM seen
  UNION ALL
  SELECT
    "event" AS "event",
    CAST(NULL AS BIGINT) AS "seen",
    CAST(NULL AS BIGINT) AS "valid",
    CAST(NULL AS VARCHAR(MAX)) AS "first_seen",
    CAST(NULL AS VARCHAR(MAX)) AS "last_seen",
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
