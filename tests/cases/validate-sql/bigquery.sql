WITH source AS (
  SELECT
    *,
    LOWER(COALESCE(`type`, 'track')) AS tp_kind,
    CASE
      WHEN LOWER(COALESCE(`type`, 'track')) = 'identify'
      THEN 'identify'
      ELSE COALESCE(`event`, '(no name)')
    END AS tp_event,
    CASE
      WHEN REGEXP_CONTAINS(LOWER(JSON_VALUE(JSON_QUERY(`context`, '$."library"."name"'), '$')), 'ios|swift')
      THEN 'ios'
      WHEN REGEXP_CONTAINS(
        LOWER(JSON_VALUE(JSON_QUERY(`context`, '$."library"."name"'), '$')),
        'android|kotlin'
      )
      THEN 'android'
      WHEN REGEXP_CONTAINS(
        LOWER(JSON_VALUE(JSON_QUERY(`context`, '$."library"."name"'), '$')),
        'analytics\\.js|analytics-next|rudder-sdk-js|javascript|browser'
      )
      THEN 'web'
      WHEN REGEXP_CONTAINS(
        LOWER(JSON_VALUE(JSON_QUERY(`context`, '$."library"."name"'), '$')),
        'python|node|java|go|ruby|php|dotnet|net|server'
      )
      THEN 'backend'
      ELSE LOWER(JSON_VALUE(JSON_QUERY(`context`, '$."device"."type"'), '$'))
    END AS tp_platform,
    `timestamp` AS tp_ts,
    `properties` AS tp_props,
    COALESCE(`traits`, JSON_QUERY(`context`, '$."traits"')) AS tp_traits
  FROM analytics.tracks
), checked AS (
  SELECT
    tp_event,
    tp_ts,
    tp_codes,
    tp_platform,
    CASE WHEN `tp_codes` <> '' THEN `tp_props` END AS tp_props,
    CASE WHEN `tp_codes` <> '' THEN `tp_traits` END AS tp_traits
  FROM (
    SELECT
      tp_kind,
      tp_event,
      tp_ts,
      tp_platform,
      tp_props,
      tp_traits,
      CASE
        WHEN `tp_kind` = 'identify'
        THEN CONCAT(
          COALESCE(
            CASE
              WHEN JSON_QUERY(`tp_traits`, '$."email"') IS NULL
              THEN '|38|'
              WHEN NOT JSON_TYPE(JSON_QUERY(`tp_traits`, '$."email"')) IN ('string')
              THEN '|39|'
              ELSE CASE
                WHEN NOT REGEXP_CONTAINS(
                  JSON_VALUE(JSON_QUERY(`tp_traits`, '$."email"'), '$'),
                  '^([^@\\s]+@[^@\\s]+\\.[^@\\s]+)$'
                )
                THEN '|40|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN JSON_QUERY(`tp_traits`, '$."plan_tier"') IS NULL
              THEN ''
              WHEN NOT JSON_TYPE(JSON_QUERY(`tp_traits`, '$."plan_tier"')) IN ('string')
              THEN '|41|'
              ELSE CASE
                WHEN NOT COALESCE(
                  JSON_VALUE(JSON_QUERY(`tp_traits`, '$."plan_tier"'), '$') IN ('free', 'pro'),
                  FALSE
                )
                THEN '|42|'
                ELSE ''
              END
            END,
            ''
          )
        )
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
              WHEN JSON_QUERY(`tp_props`, '$."order_id"') IS NULL
              THEN '|2|'
              WHEN NOT JSON_TYPE(JSON_QUERY(`tp_props`, '$."order_id"')) IN ('string')
              THEN '|3|'
              ELSE CASE
                WHEN NOT REGEXP_CONTAINS(JSON_VALUE(JSON_QUERY(`tp_props`, '$."order_id"'), '$'), '^o-[0-9]+$')
                THEN '|4|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN JSON_QUERY(`tp_props`, '$."revenue"') IS NULL
              THEN '|5|'
              WHEN NOT JSON_TYPE(JSON_QUERY(`tp_props`, '$."revenue"')) IN ('number')
              THEN '|6|'
              ELSE CASE
                WHEN (
                  LAX_FLOAT64(JSON_QUERY(`tp_props`, '$."revenue"')) < 0.0
                  OR LAX_FLOAT64(JSON_QUERY(`tp_props`, '$."revenue"')) >= 100000.0
                )
                THEN '|7|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN JSON_QUERY(`tp_props`, '$."quantity"') IS NULL
              THEN ''
              WHEN NOT (
                JSON_TYPE(JSON_QUERY(`tp_props`, '$."quantity"')) = 'number'
                AND REGEXP_CONTAINS(TO_JSON_STRING(JSON_QUERY(`tp_props`, '$."quantity"')), '^-?[0-9]+$')
              )
              THEN '|8|'
              ELSE CASE
                WHEN LAX_FLOAT64(JSON_QUERY(`tp_props`, '$."quantity"')) < 1.0
                THEN '|9|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN JSON_QUERY(`tp_props`, '$."coupon"') IS NULL
              THEN ''
              WHEN NOT JSON_TYPE(JSON_QUERY(`tp_props`, '$."coupon"')) IN ('string', 'null')
              THEN '|10|'
              ELSE CASE
                WHEN JSON_TYPE(JSON_QUERY(`tp_props`, '$."coupon"')) IN ('string')
                AND LENGTH(JSON_VALUE(JSON_QUERY(`tp_props`, '$."coupon"'), '$')) > 20
                THEN '|11|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN JSON_QUERY(`tp_props`, '$."gift"') IS NULL
              THEN ''
              WHEN NOT JSON_TYPE(JSON_QUERY(`tp_props`, '$."gift"')) IN ('boolean')
              THEN '|12|'
              ELSE CASE
                WHEN NOT COALESCE(TO_JSON_STRING(JSON_QUERY(`tp_props`, '$."gift"')) IN ('false'), FALSE)
                THEN '|13|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN JSON_QUERY(`tp_props`, '$."rating"') IS NULL
              THEN ''
              WHEN NOT JSON_TYPE(JSON_QUERY(`tp_props`, '$."rating"')) IN ('number')
              THEN '|14|'
              ELSE CASE
                WHEN NOT COALESCE(LAX_FLOAT64(JSON_QUERY(`tp_props`, '$."rating"')) IN (1.0, 2.0, 3.0, 4.5), FALSE)
                THEN '|15|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN JSON_QUERY(`tp_props`, '$."card_holder"') IS NULL
              THEN ''
              WHEN NOT JSON_TYPE(JSON_QUERY(`tp_props`, '$."card_holder"')) IN ('string')
              THEN '|16|'
              ELSE CASE
                WHEN LENGTH(JSON_VALUE(JSON_QUERY(`tp_props`, '$."card_holder"'), '$')) < 2
                THEN '|17|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN JSON_QUERY(`tp_props`, '$."shipping"') IS NULL
              THEN ''
              WHEN NOT JSON_TYPE(JSON_QUERY(`tp_props`, '$."shipping"')) IN ('object')
              THEN '|18|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN JSON_QUERY(JSON_QUERY(`tp_props`, '$."shipping"'), '$."country"') IS NULL
              THEN CASE
                WHEN JSON_TYPE(JSON_QUERY(`tp_props`, '$."shipping"')) IN ('object')
                THEN '|19|'
                ELSE ''
              END
              WHEN NOT JSON_TYPE(JSON_QUERY(JSON_QUERY(`tp_props`, '$."shipping"'), '$."country"')) IN ('string')
              THEN '|20|'
              ELSE CASE
                WHEN NOT REGEXP_CONTAINS(
                  JSON_VALUE(JSON_QUERY(JSON_QUERY(`tp_props`, '$."shipping"'), '$."country"'), '$'),
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
              WHEN JSON_QUERY(JSON_QUERY(`tp_props`, '$."shipping"'), '$."express"') IS NULL
              THEN ''
              WHEN NOT JSON_TYPE(JSON_QUERY(JSON_QUERY(`tp_props`, '$."shipping"'), '$."express"')) IN ('boolean')
              THEN '|22|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN COALESCE(
                ARRAY_TO_STRING(
                  ARRAY(
                    SELECT
                      k
                    FROM UNNEST(JSON_KEYS(
                      CASE
                        WHEN JSON_TYPE(JSON_QUERY(`tp_props`, '$."shipping"')) IN ('object')
                        THEN JSON_QUERY(`tp_props`, '$."shipping"')
                      END,
                      1
                    )) AS k
                    WHERE
                      NOT k IN UNNEST(['country', 'express'])
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
              WHEN JSON_QUERY(`tp_props`, '$."products"') IS NULL
              THEN ''
              WHEN NOT JSON_TYPE(JSON_QUERY(`tp_props`, '$."products"')) IN ('array')
              THEN '|24|'
              ELSE CASE
                WHEN (
                  ARRAY_LENGTH(JSON_QUERY_ARRAY(JSON_QUERY(`tp_props`, '$."products"'), '$')) < 1
                  OR ARRAY_LENGTH(JSON_QUERY_ARRAY(JSON_QUERY(`tp_props`, '$."products"'), '$')) > 50
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
                SELECT
                  1
                FROM UNNEST(JSON_QUERY_ARRAY(JSON_QUERY(`tp_props`, '$."products"'), '$')) AS x_products
                WHERE
                  INSTR(
                    CASE
                      WHEN x_products IS NULL
                      THEN ''
                      WHEN NOT JSON_TYPE(x_products) IN ('object')
                      THEN '|26|'
                      ELSE ''
                    END,
                    '|26|'
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
                SELECT
                  1
                FROM UNNEST(JSON_QUERY_ARRAY(JSON_QUERY(`tp_props`, '$."products"'), '$')) AS x_products
                WHERE
                  INSTR(
                    CASE
                      WHEN JSON_QUERY(x_products, '$."sku"') IS NULL
                      THEN CASE WHEN JSON_TYPE(x_products) IN ('object') THEN '|27|' ELSE '' END
                      WHEN NOT JSON_TYPE(JSON_QUERY(x_products, '$."sku"')) IN ('string')
                      THEN '|28|'
                      ELSE ''
                    END,
                    '|27|'
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
                SELECT
                  1
                FROM UNNEST(JSON_QUERY_ARRAY(JSON_QUERY(`tp_props`, '$."products"'), '$')) AS x_products
                WHERE
                  INSTR(
                    CASE
                      WHEN JSON_QUERY(x_products, '$."sku"') IS NULL
                      THEN CASE WHEN JSON_TYPE(x_products) IN ('object') THEN '|27|' ELSE '' END
                      WHEN NOT JSON_TYPE(JSON_QUERY(x_products, '$."sku"')) IN ('string')
                      THEN '|28|'
                      ELSE ''
                    END,
                    '|28|'
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
                SELECT
                  1
                FROM UNNEST(JSON_QUERY_ARRAY(JSON_QUERY(`tp_props`, '$."products"'), '$')) AS x_products
                WHERE
                  INSTR(
                    CASE
                      WHEN JSON_QUERY(x_products, '$."price"') IS NULL
                      THEN ''
                      WHEN NOT JSON_TYPE(JSON_QUERY(x_products, '$."price"')) IN ('number')
                      THEN '|29|'
                      ELSE CASE
                        WHEN LAX_FLOAT64(JSON_QUERY(x_products, '$."price"')) < 0.0
                        THEN '|30|'
                        ELSE ''
                      END
                    END,
                    '|29|'
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
                SELECT
                  1
                FROM UNNEST(JSON_QUERY_ARRAY(JSON_QUERY(`tp_props`, '$."products"'), '$')) AS x_products
                WHERE
                  INSTR(
                    CASE
                      WHEN JSON_QUERY(x_products, '$."price"') IS NULL
                      THEN ''
                      WHEN NOT JSON_TYPE(JSON_QUERY(x_products, '$."price"')) IN ('number')
                      THEN '|29|'
                      ELSE CASE
                        WHEN LAX_FLOAT64(JSON_QUERY(x_products, '$."price"')) < 0.0
                        THEN '|30|'
                        ELSE ''
                      END
                    END,
                    '|30|'
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
                SELECT
                  1
                FROM UNNEST(JSON_QUERY_ARRAY(JSON_QUERY(`tp_props`, '$."products"'), '$')) AS x_products
                WHERE
                  INSTR(
                    CASE
                      WHEN COALESCE(
                        ARRAY_TO_STRING(
                          ARRAY(
                            SELECT
                              k
                            FROM UNNEST(JSON_KEYS(CASE WHEN JSON_TYPE(x_products) IN ('object') THEN x_products END, 1)) AS k
                            WHERE
                              NOT k IN UNNEST(['sku', 'price'])
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
              THEN '|31|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN COALESCE(
                ARRAY_TO_STRING(
                  ARRAY(
                    SELECT
                      k
                    FROM UNNEST(JSON_KEYS(CASE WHEN JSON_TYPE(`tp_props`) IN ('object') THEN `tp_props` END, 1)) AS k
                    WHERE
                      NOT k IN UNNEST([
                        'order_id',
                        'revenue',
                        'quantity',
                        'coupon',
                        'gift',
                        'rating',
                        'card_holder',
                        'shipping',
                        'products'
                      ])
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
        WHEN `tp_event` = 'Coupon Entered'
        THEN CONCAT(
          '|33|',
          COALESCE(
            CASE
              WHEN JSON_QUERY(`tp_props`, '$."code"') IS NULL
              THEN ''
              WHEN NOT JSON_TYPE(JSON_QUERY(`tp_props`, '$."code"')) IN ('string')
              THEN '|34|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN COALESCE(
                ARRAY_TO_STRING(
                  ARRAY(
                    SELECT
                      k
                    FROM UNNEST(JSON_KEYS(CASE WHEN JSON_TYPE(`tp_props`) IN ('object') THEN `tp_props` END, 1)) AS k
                    WHERE
                      NOT k IN UNNEST(['code'])
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
        WHEN `tp_event` = 'Wallet Opened'
        THEN CONCAT(
          '|36|',
          COALESCE(
            CASE
              WHEN NOT `tp_platform` IS NULL AND NOT `tp_platform` IN ('ios')
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
  FROM UNNEST([
    STRUCT(
      '1' AS rule_id,
      'Order Completed' AS rule_event,
      'unplanned-platform' AS rule_check,
      NULL AS rule_property,
      's16' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '2' AS rule_id,
      'Order Completed' AS rule_event,
      'missing-property' AS rule_check,
      'order_id' AS rule_property,
      's17' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '3' AS rule_id,
      'Order Completed' AS rule_event,
      'wrong-type' AS rule_check,
      'order_id' AS rule_property,
      's1' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '4' AS rule_id,
      'Order Completed' AS rule_event,
      'pattern' AS rule_check,
      'order_id' AS rule_property,
      's1' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '5' AS rule_id,
      'Order Completed' AS rule_event,
      'missing-property' AS rule_check,
      'revenue' AS rule_property,
      's17' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '6' AS rule_id,
      'Order Completed' AS rule_event,
      'wrong-type' AS rule_check,
      'revenue' AS rule_property,
      's2' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '7' AS rule_id,
      'Order Completed' AS rule_event,
      'range' AS rule_check,
      'revenue' AS rule_property,
      's2' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '8' AS rule_id,
      'Order Completed' AS rule_event,
      'wrong-type' AS rule_check,
      'quantity' AS rule_property,
      's3' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '9' AS rule_id,
      'Order Completed' AS rule_event,
      'range' AS rule_check,
      'quantity' AS rule_property,
      's3' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '10' AS rule_id,
      'Order Completed' AS rule_event,
      'wrong-type' AS rule_check,
      'coupon' AS rule_property,
      's4' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '11' AS rule_id,
      'Order Completed' AS rule_event,
      'length' AS rule_check,
      'coupon' AS rule_property,
      's4' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '12' AS rule_id,
      'Order Completed' AS rule_event,
      'wrong-type' AS rule_check,
      'gift' AS rule_property,
      's5' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '13' AS rule_id,
      'Order Completed' AS rule_event,
      'enum' AS rule_check,
      'gift' AS rule_property,
      's5' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '14' AS rule_id,
      'Order Completed' AS rule_event,
      'wrong-type' AS rule_check,
      'rating' AS rule_property,
      's6' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '15' AS rule_id,
      'Order Completed' AS rule_event,
      'enum' AS rule_check,
      'rating' AS rule_property,
      's6' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '16' AS rule_id,
      'Order Completed' AS rule_event,
      'wrong-type' AS rule_check,
      'card_holder' AS rule_property,
      's7' AS rule_sample,
      'yes' AS rule_pii
    ),
    STRUCT(
      '17' AS rule_id,
      'Order Completed' AS rule_event,
      'length' AS rule_check,
      'card_holder' AS rule_property,
      's7' AS rule_sample,
      'yes' AS rule_pii
    ),
    STRUCT(
      '18' AS rule_id,
      'Order Completed' AS rule_event,
      'wrong-type' AS rule_check,
      'shipping' AS rule_property,
      's8' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '19' AS rule_id,
      'Order Completed' AS rule_event,
      'missing-property' AS rule_check,
      'shipping.country' AS rule_property,
      's17' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '20' AS rule_id,
      'Order Completed' AS rule_event,
      'wrong-type' AS rule_check,
      'shipping.country' AS rule_property,
      's9' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '21' AS rule_id,
      'Order Completed' AS rule_event,
      'pattern' AS rule_check,
      'shipping.country' AS rule_property,
      's9' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '22' AS rule_id,
      'Order Completed' AS rule_event,
      'wrong-type' AS rule_check,
      'shipping.express' AS rule_property,
      's10' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '23' AS rule_id,
      'Order Completed' AS rule_event,
      'unplanned-property' AS rule_check,
      'shipping' AS rule_property,
      's18' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '24' AS rule_id,
      'Order Completed' AS rule_event,
      'wrong-type' AS rule_check,
      'products' AS rule_property,
      's11' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '25' AS rule_id,
      'Order Completed' AS rule_event,
      'items' AS rule_check,
      'products' AS rule_property,
      's11' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '26' AS rule_id,
      'Order Completed' AS rule_event,
      'wrong-type' AS rule_check,
      'products[]' AS rule_property,
      's11' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '27' AS rule_id,
      'Order Completed' AS rule_event,
      'missing-property' AS rule_check,
      'products[].sku' AS rule_property,
      's17' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '28' AS rule_id,
      'Order Completed' AS rule_event,
      'wrong-type' AS rule_check,
      'products[].sku' AS rule_property,
      's11' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '29' AS rule_id,
      'Order Completed' AS rule_event,
      'wrong-type' AS rule_check,
      'products[].price' AS rule_property,
      's11' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '30' AS rule_id,
      'Order Completed' AS rule_event,
      'range' AS rule_check,
      'products[].price' AS rule_property,
      's11' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '31' AS rule_id,
      'Order Completed' AS rule_event,
      'unplanned-property' AS rule_check,
      'products[]' AS rule_property,
      's11' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '32' AS rule_id,
      'Order Completed' AS rule_event,
      'unplanned-property' AS rule_check,
      NULL AS rule_property,
      's19' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '33' AS rule_id,
      'Coupon Entered' AS rule_event,
      'deprecated-event' AS rule_check,
      NULL AS rule_property,
      's20' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '34' AS rule_id,
      'Coupon Entered' AS rule_event,
      'wrong-type' AS rule_check,
      'code' AS rule_property,
      's12' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '35' AS rule_id,
      'Coupon Entered' AS rule_event,
      'unplanned-property' AS rule_check,
      NULL AS rule_property,
      's21' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '36' AS rule_id,
      'Wallet Opened' AS rule_event,
      'draft-event' AS rule_check,
      NULL AS rule_property,
      's22' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '37' AS rule_id,
      'Wallet Opened' AS rule_event,
      'unplanned-platform' AS rule_check,
      NULL AS rule_property,
      's16' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '38' AS rule_id,
      'identify' AS rule_event,
      'missing-trait' AS rule_check,
      'email' AS rule_property,
      's17' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '39' AS rule_id,
      'identify' AS rule_event,
      'trait' AS rule_check,
      'email' AS rule_property,
      's14' AS rule_sample,
      'yes' AS rule_pii
    ),
    STRUCT(
      '40' AS rule_id,
      'identify' AS rule_event,
      'trait' AS rule_check,
      'email' AS rule_property,
      's14' AS rule_sample,
      'yes' AS rule_pii
    ),
    STRUCT(
      '41' AS rule_id,
      'identify' AS rule_event,
      'trait' AS rule_check,
      'plan_tier' AS rule_property,
      's15' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '42' AS rule_id,
      'identify' AS rule_event,
      'trait' AS rule_check,
      'plan_tier' AS rule_property,
      's15' AS rule_sample,
      'no' AS rule_pii
    )
  ]) AS r
), hits AS (
  SELECT
    `c`.`tp_event` AS event,
    `r`.`rule_check`,
    `r`.`rule_property`,
    `r`.`rule_pii`,
    CASE `r`.`rule_sample`
      WHEN 's1'
      THEN JSON_QUERY(`tp_props`, '$."order_id"')
      WHEN 's2'
      THEN JSON_QUERY(`tp_props`, '$."revenue"')
      WHEN 's3'
      THEN JSON_QUERY(`tp_props`, '$."quantity"')
      WHEN 's4'
      THEN JSON_QUERY(`tp_props`, '$."coupon"')
      WHEN 's5'
      THEN JSON_QUERY(`tp_props`, '$."gift"')
      WHEN 's6'
      THEN JSON_QUERY(`tp_props`, '$."rating"')
      WHEN 's7'
      THEN JSON_QUERY(`tp_props`, '$."card_holder"')
      WHEN 's8'
      THEN JSON_QUERY(`tp_props`, '$."shipping"')
      WHEN 's9'
      THEN JSON_QUERY(JSON_QUERY(`tp_props`, '$."shipping"'), '$."country"')
      WHEN 's10'
      THEN JSON_QUERY(JSON_QUERY(`tp_props`, '$."shipping"'), '$."express"')
      WHEN 's11'
      THEN JSON_QUERY(`tp_props`, '$."products"')
      WHEN 's12'
      THEN JSON_QUERY(`tp_props`, '$."code"')
      WHEN 's13'
      THEN JSON_QUERY(`tp_props`, '$."balance"')
      WHEN 's14'
      THEN JSON_QUERY(`tp_traits`, '$."email"')
      WHEN 's15'
      THEN JSON_QUERY(`tp_traits`, '$."plan_tier"')
    END AS sample_value,
    CASE `r`.`rule_sample`
      WHEN 's16'
      THEN `tp_platform`
      WHEN 's17'
      THEN '(missing)'
      WHEN 's18'
      THEN SUBSTRING(
        COALESCE(
          ARRAY_TO_STRING(
            ARRAY(
              SELECT
                k
              FROM UNNEST(JSON_KEYS(
                CASE
                  WHEN JSON_TYPE(JSON_QUERY(`tp_props`, '$."shipping"')) IN ('object')
                  THEN JSON_QUERY(`tp_props`, '$."shipping"')
                END,
                1
              )) AS k
              WHERE
                NOT k IN UNNEST(['country', 'express'])
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
            ARRAY(
              SELECT
                k
              FROM UNNEST(JSON_KEYS(CASE WHEN JSON_TYPE(`tp_props`) IN ('object') THEN `tp_props` END, 1)) AS k
              WHERE
                NOT k IN UNNEST([
                  'order_id',
                  'revenue',
                  'quantity',
                  'coupon',
                  'gift',
                  'rating',
                  'card_holder',
                  'shipping',
                  'products'
                ])
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
            ARRAY(
              SELECT
                k
              FROM UNNEST(JSON_KEYS(CASE WHEN JSON_TYPE(`tp_props`) IN ('object') THEN `tp_props` END, 1)) AS k
              WHERE
                NOT k IN UNNEST(['code'])
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
    ON `r`.`rule_event` = `c`.`tp_event`
  WHERE
    `c`.`tp_codes` <> ''
    AND INSTR(`c`.`tp_codes`, CONCAT('|', COALESCE(`r`.`rule_id`, ''), '|')) > 0
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
                WHEN JSON_TYPE(`sample_value`) IN ('string')
                THEN 'string'
                WHEN JSON_TYPE(`sample_value`) = 'number'
                AND REGEXP_CONTAINS(TO_JSON_STRING(`sample_value`), '^-?[0-9]+$')
                THEN 'integer'
                WHEN JSON_TYPE(`sample_value`) = 'number'
                AND NOT REGEXP_CONTAINS(TO_JSON_STRING(`sample_value`), '^-?[0-9]+$')
                THEN 'number'
                WHEN JSON_TYPE(`sample_value`) IN ('boolean')
                THEN 'boolean'
                WHEN JSON_TYPE(`sample_value`) IN ('object')
                THEN 'object'
                WHEN JSON_TYPE(`sample_value`) IN ('array')
                THEN 'array'
                WHEN JSON_TYPE(`sample_value`) IN ('null')
                THEN 'null'
              END,
              ''
            ),
            ' of length ',
            COALESCE(CAST(LENGTH(TO_JSON_STRING(`sample_value`)) AS STRING), '')
          )
          WHEN `rule_check` = 'wrong-type'
          THEN CONCAT(
            COALESCE(
              CASE
                WHEN JSON_TYPE(`sample_value`) IN ('string')
                THEN 'string'
                WHEN JSON_TYPE(`sample_value`) = 'number'
                AND REGEXP_CONTAINS(TO_JSON_STRING(`sample_value`), '^-?[0-9]+$')
                THEN 'integer'
                WHEN JSON_TYPE(`sample_value`) = 'number'
                AND NOT REGEXP_CONTAINS(TO_JSON_STRING(`sample_value`), '^-?[0-9]+$')
                THEN 'number'
                WHEN JSON_TYPE(`sample_value`) IN ('boolean')
                THEN 'boolean'
                WHEN JSON_TYPE(`sample_value`) IN ('object')
                THEN 'object'
                WHEN JSON_TYPE(`sample_value`) IN ('array')
                THEN 'array'
                WHEN JSON_TYPE(`sample_value`) IN ('null')
                THEN 'null'
              END,
              ''
            ),
            ': ',
            COALESCE(SUBSTRING(TO_JSON_STRING(`sample_value`), 1, 60), '')
          )
          WHEN JSON_TYPE(`sample_value`) IN ('string')
          THEN SUBSTRING(JSON_VALUE(`sample_value`, '$'), 1, 60)
          ELSE SUBSTRING(TO_JSON_STRING(`sample_value`), 1, 60)
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
    CAST(NULL AS INT64) AS `count`,
    CAST(NULL AS STRING) AS `sample_1`,
    CAST(NULL AS STRING) AS `sample_2`
  FROM seen
  UNION ALL
  SELECT
    `event` AS `event`,
    CAST(NULL AS INT64) AS `seen`,
    CAST(NULL AS INT64) AS `valid`,
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
