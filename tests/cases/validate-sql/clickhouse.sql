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
      WHEN match(
        LOWER(
          JSONExtractString(
            CASE
              WHEN JSONHas("context", 'library', 'name')
              THEN JSONExtractRaw("context", 'library')
              ELSE NULL
            END
          )
        ),
        'ios|swift'
      )
      THEN 'ios'
      WHEN match(
        LOWER(
          JSONExtractString(
            CASE
              WHEN JSONHas("context", 'library', 'name')
              THEN JSONExtractRaw("context", 'library')
              ELSE NULL
            END
          )
        ),
        'android|kotlin'
      )
      THEN 'android'
      WHEN match(
        LOWER(
          JSONExtractString(
            CASE
              WHEN JSONHas("context", 'library', 'name')
              THEN JSONExtractRaw("context", 'library')
              ELSE NULL
            END
          )
        ),
        'analytics\\.js|analytics-next|rudder-sdk-js|javascript|browser'
      )
      THEN 'web'
      WHEN match(
        LOWER(
          JSONExtractString(
            CASE
              WHEN JSONHas("context", 'library', 'name')
              THEN JSONExtractRaw("context", 'library')
              ELSE NULL
            END
          )
        ),
        'python|node|java|go|ruby|php|dotnet|net|server'
      )
      THEN 'backend'
      ELSE LOWER(
        JSONExtractString(
          CASE
            WHEN JSONHas("context", 'device', 'type')
            THEN JSONExtractRaw("context", 'device')
            ELSE NULL
          END
        )
      )
    END AS tp_platform,
    "timestamp" AS tp_ts,
    "properties" AS tp_props,
    COALESCE(
      "traits",
      CASE
        WHEN JSONHas("context", 'traits')
        THEN JSONExtractRaw("context", 'traits')
        ELSE NULL
      END
    ) AS tp_traits
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
          COALESCE(
            CASE
              WHEN CASE
                WHEN JSONHas("tp_traits", 'email')
                THEN JSONExtractRaw("tp_traits", 'email')
                ELSE NULL
              END IS NULL
              THEN '|38|'
              WHEN NOT (
                JSONType(
                  CASE
                    WHEN JSONHas("tp_traits", 'email')
                    THEN JSONExtractRaw("tp_traits", 'email')
                    ELSE NULL
                  END
                ) IN ('String')
              )
              THEN '|39|'
              ELSE CASE
                WHEN NOT match(
                  JSONExtractString(
                    CASE
                      WHEN JSONHas("tp_traits", 'email')
                      THEN JSONExtractRaw("tp_traits", 'email')
                      ELSE NULL
                    END
                  ),
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
              WHEN CASE
                WHEN JSONHas("tp_traits", 'plan_tier')
                THEN JSONExtractRaw("tp_traits", 'plan_tier')
                ELSE NULL
              END IS NULL
              THEN ''
              WHEN NOT (
                JSONType(
                  CASE
                    WHEN JSONHas("tp_traits", 'plan_tier')
                    THEN JSONExtractRaw("tp_traits", 'plan_tier')
                    ELSE NULL
                  END
                ) IN ('String')
              )
              THEN '|41|'
              ELSE CASE
                WHEN NOT COALESCE(
                  JSONExtractString(
                    CASE
                      WHEN JSONHas("tp_traits", 'plan_tier')
                      THEN JSONExtractRaw("tp_traits", 'plan_tier')
                      ELSE NULL
                    END
                  ) IN ('free', 'pro'),
                  FALSE
                )
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
              WHEN NOT (
                "tp_platform" IS NULL
              ) AND NOT (
                "tp_platform" IN ('backend')
              )
              THEN '|1|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN CASE
                WHEN JSONHas("tp_props", 'order_id')
                THEN JSONExtractRaw("tp_props", 'order_id')
                ELSE NULL
              END IS NULL
              THEN '|2|'
              WHEN NOT (
                JSONType(
                  CASE
                    WHEN JSONHas("tp_props", 'order_id')
                    THEN JSONExtractRaw("tp_props", 'order_id')
                    ELSE NULL
                  END
                ) IN ('String')
              )
              THEN '|3|'
              ELSE CASE
                WHEN NOT match(
                  JSONExtractString(
                    CASE
                      WHEN JSONHas("tp_props", 'order_id')
                      THEN JSONExtractRaw("tp_props", 'order_id')
                      ELSE NULL
                    END
                  ),
                  '^o-[0-9]+$'
                )
                THEN '|4|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN CASE
                WHEN JSONHas("tp_props", 'revenue')
                THEN JSONExtractRaw("tp_props", 'revenue')
                ELSE NULL
              END IS NULL
              THEN '|5|'
              WHEN NOT (
                JSONType(
                  CASE
                    WHEN JSONHas("tp_props", 'revenue')
                    THEN JSONExtractRaw("tp_props", 'revenue')
                    ELSE NULL
                  END
                ) IN ('Int64', 'UInt64', 'Double')
              )
              THEN '|6|'
              ELSE CASE
                WHEN (
                  JSONExtractFloat(
                    CASE
                      WHEN JSONHas("tp_props", 'revenue')
                      THEN JSONExtractRaw("tp_props", 'revenue')
                      ELSE NULL
                    END
                  ) < 0.0
                  OR JSONExtractFloat(
                    CASE
                      WHEN JSONHas("tp_props", 'revenue')
                      THEN JSONExtractRaw("tp_props", 'revenue')
                      ELSE NULL
                    END
                  ) >= 100000.0
                )
                THEN '|7|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN CASE
                WHEN JSONHas("tp_props", 'quantity')
                THEN JSONExtractRaw("tp_props", 'quantity')
                ELSE NULL
              END IS NULL
              THEN ''
              WHEN NOT (
                JSONType(
                  CASE
                    WHEN JSONHas("tp_props", 'quantity')
                    THEN JSONExtractRaw("tp_props", 'quantity')
                    ELSE NULL
                  END
                ) IN ('Int64', 'UInt64')
              )
              THEN '|8|'
              ELSE CASE
                WHEN JSONExtractFloat(
                  CASE
                    WHEN JSONHas("tp_props", 'quantity')
                    THEN JSONExtractRaw("tp_props", 'quantity')
                    ELSE NULL
                  END
                ) < 1.0
                THEN '|9|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN CASE
                WHEN JSONHas("tp_props", 'coupon')
                THEN JSONExtractRaw("tp_props", 'coupon')
                ELSE NULL
              END IS NULL
              THEN ''
              WHEN NOT (
                JSONType(
                  CASE
                    WHEN JSONHas("tp_props", 'coupon')
                    THEN JSONExtractRaw("tp_props", 'coupon')
                    ELSE NULL
                  END
                ) IN ('String', 'Null')
              )
              THEN '|10|'
              ELSE CASE
                WHEN JSONType(
                  CASE
                    WHEN JSONHas("tp_props", 'coupon')
                    THEN JSONExtractRaw("tp_props", 'coupon')
                    ELSE NULL
                  END
                ) IN ('String')
                AND lengthUTF8(
                  JSONExtractString(
                    CASE
                      WHEN JSONHas("tp_props", 'coupon')
                      THEN JSONExtractRaw("tp_props", 'coupon')
                      ELSE NULL
                    END
                  )
                ) > 20
                THEN '|11|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN CASE
                WHEN JSONHas("tp_props", 'gift')
                THEN JSONExtractRaw("tp_props", 'gift')
                ELSE NULL
              END IS NULL
              THEN ''
              WHEN NOT (
                JSONType(
                  CASE
                    WHEN JSONHas("tp_props", 'gift')
                    THEN JSONExtractRaw("tp_props", 'gift')
                    ELSE NULL
                  END
                ) IN ('Bool')
              )
              THEN '|12|'
              ELSE CASE
                WHEN NOT COALESCE(
                  CASE
                    WHEN JSONHas("tp_props", 'gift')
                    THEN JSONExtractRaw("tp_props", 'gift')
                    ELSE NULL
                  END IN ('false'),
                  FALSE
                )
                THEN '|13|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN CASE
                WHEN JSONHas("tp_props", 'rating')
                THEN JSONExtractRaw("tp_props", 'rating')
                ELSE NULL
              END IS NULL
              THEN ''
              WHEN NOT (
                JSONType(
                  CASE
                    WHEN JSONHas("tp_props", 'rating')
                    THEN JSONExtractRaw("tp_props", 'rating')
                    ELSE NULL
                  END
                ) IN ('Int64', 'UInt64', 'Double')
              )
              THEN '|14|'
              ELSE CASE
                WHEN NOT COALESCE(
                  JSONExtractFloat(
                    CASE
                      WHEN JSONHas("tp_props", 'rating')
                      THEN JSONExtractRaw("tp_props", 'rating')
                      ELSE NULL
                    END
                  ) IN (1.0, 2.0, 3.0, 4.5),
                  FALSE
                )
                THEN '|15|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN CASE
                WHEN JSONHas("tp_props", 'card_holder')
                THEN JSONExtractRaw("tp_props", 'card_holder')
                ELSE NULL
              END IS NULL
              THEN ''
              WHEN NOT (
                JSONType(
                  CASE
                    WHEN JSONHas("tp_props", 'card_holder')
                    THEN JSONExtractRaw("tp_props", 'card_holder')
                    ELSE NULL
                  END
                ) IN ('String')
              )
              THEN '|16|'
              ELSE CASE
                WHEN lengthUTF8(
                  JSONExtractString(
                    CASE
                      WHEN JSONHas("tp_props", 'card_holder')
                      THEN JSONExtractRaw("tp_props", 'card_holder')
                      ELSE NULL
                    END
                  )
                ) < 2
                THEN '|17|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN CASE
                WHEN JSONHas("tp_props", 'shipping')
                THEN JSONExtractRaw("tp_props", 'shipping')
                ELSE NULL
              END IS NULL
              THEN ''
              WHEN NOT (
                JSONType(
                  CASE
                    WHEN JSONHas("tp_props", 'shipping')
                    THEN JSONExtractRaw("tp_props", 'shipping')
                    ELSE NULL
                  END
                ) IN ('Object')
              )
              THEN '|18|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN CASE
                WHEN JSONHas(
                  CASE
                    WHEN JSONHas("tp_props", 'shipping')
                    THEN JSONExtractRaw("tp_props", 'shipping')
                    ELSE NULL
                  END,
                  'country'
                )
                THEN JSONExtractRaw(
                  CASE
                    WHEN JSONHas("tp_props", 'shipping')
                    THEN JSONExtractRaw("tp_props", 'shipping')
                    ELSE NULL
                  END,
                  'country'
                )
                ELSE NULL
              END IS NULL
              THEN CASE
                WHEN JSONType(
                  CASE
                    WHEN JSONHas("tp_props", 'shipping')
                    THEN JSONExtractRaw("tp_props", 'shipping')
                    ELSE NULL
                  END
                ) IN ('Object')
                THEN '|19|'
                ELSE ''
              END
              WHEN NOT (
                JSONType(
                  CASE
                    WHEN JSONHas(
                      CASE
                        WHEN JSONHas("tp_props", 'shipping')
                        THEN JSONExtractRaw("tp_props", 'shipping')
                        ELSE NULL
                      END,
                      'country'
                    )
                    THEN JSONExtractRaw(
                      CASE
                        WHEN JSONHas("tp_props", 'shipping')
                        THEN JSONExtractRaw("tp_props", 'shipping')
                        ELSE NULL
                      END,
                      'country'
                    )
                    ELSE NULL
                  END
                ) IN ('String')
              )
              THEN '|20|'
              ELSE CASE
                WHEN NOT match(
                  JSONExtractString(
                    CASE
                      WHEN JSONHas(
                        CASE
                          WHEN JSONHas("tp_props", 'shipping')
                          THEN JSONExtractRaw("tp_props", 'shipping')
                          ELSE NULL
                        END,
                        'country'
                      )
                      THEN JSONExtractRaw(
                        CASE
                          WHEN JSONHas("tp_props", 'shipping')
                          THEN JSONExtractRaw("tp_props", 'shipping')
                          ELSE NULL
                        END,
                        'country'
                      )
                      ELSE NULL
                    END
                  ),
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
              WHEN CASE
                WHEN JSONHas(
                  CASE
                    WHEN JSONHas("tp_props", 'shipping')
                    THEN JSONExtractRaw("tp_props", 'shipping')
                    ELSE NULL
                  END,
                  'express'
                )
                THEN JSONExtractRaw(
                  CASE
                    WHEN JSONHas("tp_props", 'shipping')
                    THEN JSONExtractRaw("tp_props", 'shipping')
                    ELSE NULL
                  END,
                  'express'
                )
                ELSE NULL
              END IS NULL
              THEN ''
              WHEN NOT (
                JSONType(
                  CASE
                    WHEN JSONHas(
                      CASE
                        WHEN JSONHas("tp_props", 'shipping')
                        THEN JSONExtractRaw("tp_props", 'shipping')
                        ELSE NULL
                      END,
                      'express'
                    )
                    THEN JSONExtractRaw(
                      CASE
                        WHEN JSONHas("tp_props", 'shipping')
                        THEN JSONExtractRaw("tp_props", 'shipping')
                        ELSE NULL
                      END,
                      'express'
                    )
                    ELSE NULL
                  END
                ) IN ('Bool')
              )
              THEN '|22|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN COALESCE(
                arrayStringConcat(
                  arrayFilter(
                    k -> NOT has(['country', 'express'], k),
                    JSONExtractKeys(
                      ifNull(
                        CASE
                          WHEN JSONType(
                            CASE
                              WHEN JSONHas("tp_props", 'shipping')
                              THEN JSONExtractRaw("tp_props", 'shipping')
                              ELSE NULL
                            END
                          ) IN ('Object')
                          THEN CASE
                            WHEN JSONHas("tp_props", 'shipping')
                            THEN JSONExtractRaw("tp_props", 'shipping')
                            ELSE NULL
                          END
                        END,
                        ''
                      )
                    )
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
              WHEN CASE
                WHEN JSONHas("tp_props", 'products')
                THEN JSONExtractRaw("tp_props", 'products')
                ELSE NULL
              END IS NULL
              THEN ''
              WHEN NOT (
                JSONType(
                  CASE
                    WHEN JSONHas("tp_props", 'products')
                    THEN JSONExtractRaw("tp_props", 'products')
                    ELSE NULL
                  END
                ) IN ('Array')
              )
              THEN '|24|'
              ELSE CASE
                WHEN (
                  JSONLength(
                    CASE
                      WHEN JSONHas("tp_props", 'products')
                      THEN JSONExtractRaw("tp_props", 'products')
                      ELSE NULL
                    END
                  ) < 1
                  OR JSONLength(
                    CASE
                      WHEN JSONHas("tp_props", 'products')
                      THEN JSONExtractRaw("tp_props", 'products')
                      ELSE NULL
                    END
                  ) > 50
                )
                THEN '|25|'
                ELSE ''
              END
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN arrayExists(
                x_products -> POSITION(
                  CASE
                    WHEN x_products IS NULL
                    THEN ''
                    WHEN NOT (
                      JSONType(x_products) IN ('Object')
                    )
                    THEN '|26|'
                    ELSE ''
                  END,
                  '|26|'
                ) > 0,
                JSONExtractArrayRaw(
                  ifNull(
                    CASE
                      WHEN JSONHas("tp_props", 'products')
                      THEN JSONExtractRaw("tp_props", 'products')
                      ELSE NULL
                    END,
                    ''
                  )
                )
              )
              THEN '|26|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN arrayExists(
                x_products -> POSITION(
                  CASE
                    WHEN CASE
                      WHEN JSONHas(x_products, 'sku')
                      THEN JSONExtractRaw(x_products, 'sku')
                      ELSE NULL
                    END IS NULL
                    THEN CASE WHEN JSONType(x_products) IN ('Object') THEN '|27|' ELSE '' END
                    WHEN NOT (
                      JSONType(
                        CASE
                          WHEN JSONHas(x_products, 'sku')
                          THEN JSONExtractRaw(x_products, 'sku')
                          ELSE NULL
                        END
                      ) IN ('String')
                    )
                    THEN '|28|'
                    ELSE ''
                  END,
                  '|27|'
                ) > 0,
                JSONExtractArrayRaw(
                  ifNull(
                    CASE
                      WHEN JSONHas("tp_props", 'products')
                      THEN JSONExtractRaw("tp_props", 'products')
                      ELSE NULL
                    END,
                    ''
                  )
                )
              )
              THEN '|27|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN arrayExists(
                x_products -> POSITION(
                  CASE
                    WHEN CASE
                      WHEN JSONHas(x_products, 'sku')
                      THEN JSONExtractRaw(x_products, 'sku')
                      ELSE NULL
                    END IS NULL
                    THEN CASE WHEN JSONType(x_products) IN ('Object') THEN '|27|' ELSE '' END
                    WHEN NOT (
                      JSONType(
                        CASE
                          WHEN JSONHas(x_products, 'sku')
                          THEN JSONExtractRaw(x_products, 'sku')
                          ELSE NULL
                        END
                      ) IN ('String')
                    )
                    THEN '|28|'
                    ELSE ''
                  END,
                  '|28|'
                ) > 0,
                JSONExtractArrayRaw(
                  ifNull(
                    CASE
                      WHEN JSONHas("tp_props", 'products')
                      THEN JSONExtractRaw("tp_props", 'products')
                      ELSE NULL
                    END,
                    ''
                  )
                )
              )
              THEN '|28|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN arrayExists(
                x_products -> POSITION(
                  CASE
                    WHEN CASE
                      WHEN JSONHas(x_products, 'price')
                      THEN JSONExtractRaw(x_products, 'price')
                      ELSE NULL
                    END IS NULL
                    THEN ''
                    WHEN NOT (
                      JSONType(
                        CASE
                          WHEN JSONHas(x_products, 'price')
                          THEN JSONExtractRaw(x_products, 'price')
                          ELSE NULL
                        END
                      ) IN ('Int64', 'UInt64', 'Double')
                    )
                    THEN '|29|'
                    ELSE CASE
                      WHEN JSONExtractFloat(
                        CASE
                          WHEN JSONHas(x_products, 'price')
                          THEN JSONExtractRaw(x_products, 'price')
                          ELSE NULL
                        END
                      ) < 0.0
                      THEN '|30|'
                      ELSE ''
                    END
                  END,
                  '|29|'
                ) > 0,
                JSONExtractArrayRaw(
                  ifNull(
                    CASE
                      WHEN JSONHas("tp_props", 'products')
                      THEN JSONExtractRaw("tp_props", 'products')
                      ELSE NULL
                    END,
                    ''
                  )
                )
              )
              THEN '|29|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN arrayExists(
                x_products -> POSITION(
                  CASE
                    WHEN CASE
                      WHEN JSONHas(x_products, 'price')
                      THEN JSONExtractRaw(x_products, 'price')
                      ELSE NULL
                    END IS NULL
                    THEN ''
                    WHEN NOT (
                      JSONType(
                        CASE
                          WHEN JSONHas(x_products, 'price')
                          THEN JSONExtractRaw(x_products, 'price')
                          ELSE NULL
                        END
                      ) IN ('Int64', 'UInt64', 'Double')
                    )
                    THEN '|29|'
                    ELSE CASE
                      WHEN JSONExtractFloat(
                        CASE
                          WHEN JSONHas(x_products, 'price')
                          THEN JSONExtractRaw(x_products, 'price')
                          ELSE NULL
                        END
                      ) < 0.0
                      THEN '|30|'
                      ELSE ''
                    END
                  END,
                  '|30|'
                ) > 0,
                JSONExtractArrayRaw(
                  ifNull(
                    CASE
                      WHEN JSONHas("tp_props", 'products')
                      THEN JSONExtractRaw("tp_props", 'products')
                      ELSE NULL
                    END,
                    ''
                  )
                )
              )
              THEN '|30|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN arrayExists(
                x_products -> POSITION(
                  CASE
                    WHEN COALESCE(
                      arrayStringConcat(
                        arrayFilter(
                          k -> NOT has(['sku', 'price'], k),
                          JSONExtractKeys(ifNull(CASE WHEN JSONType(x_products) IN ('Object') THEN x_products END, ''))
                        ),
                        ', '
                      ),
                      ''
                    ) <> ''
                    THEN '|31|'
                    ELSE ''
                  END,
                  '|31|'
                ) > 0,
                JSONExtractArrayRaw(
                  ifNull(
                    CASE
                      WHEN JSONHas("tp_props", 'products')
                      THEN JSONExtractRaw("tp_props", 'products')
                      ELSE NULL
                    END,
                    ''
                  )
                )
              )
              THEN '|31|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN COALESCE(
                arrayStringConcat(
                  arrayFilter(
                    k -> NOT has(
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
                    ),
                    JSONExtractKeys(ifNull(CASE WHEN JSONType("tp_props") IN ('Object') THEN "tp_props" END, ''))
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
              WHEN CASE
                WHEN JSONHas("tp_props", 'code')
                THEN JSONExtractRaw("tp_props", 'code')
                ELSE NULL
              END IS NULL
              THEN ''
              WHEN NOT (
                JSONType(
                  CASE
                    WHEN JSONHas("tp_props", 'code')
                    THEN JSONExtractRaw("tp_props", 'code')
                    ELSE NULL
                  END
                ) IN ('String')
              )
              THEN '|34|'
              ELSE ''
            END,
            ''
          ),
          COALESCE(
            CASE
              WHEN COALESCE(
                arrayStringConcat(
                  arrayFilter(
                    k -> NOT has(['code'], k),
                    JSONExtractKeys(ifNull(CASE WHEN JSONType("tp_props") IN ('Object') THEN "tp_props" END, ''))
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
              WHEN NOT (
                "tp_platform" IS NULL
              ) AND NOT (
                "tp_platform" IN ('ios')
              )
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
      'unplanned-property',
      'shipping',
      's18',
      'no'
    UNION ALL
    SELECT
      '24',
      'Order Completed',
      'wrong-type',
      'products',
      's11',
      'no'
    UNION ALL
    SELECT
      '25',
      'Order Completed',
      'items',
      'products',
      's11',
      'no'
    UNION ALL
    SELECT
      '26',
      'Order Completed',
      'wrong-type',
      'products[]',
      's11',
      'no'
    UNION ALL
    SELECT
      '27',
      'Order Completed',
      'missing-property',
      'products[].sku',
      's17',
      'no'
    UNION ALL
    SELECT
      '28',
      'Order Completed',
      'wrong-type',
      'products[].sku',
      's11',
      'no'
    UNION ALL
    SELECT
      '29',
      'Order Completed',
      'wrong-type',
      'products[].price',
      's11',
      'no'
    UNION ALL
    SELECT
      '30',
      'Order Completed',
      'range',
      'products[].price',
      's11',
      'no'
    UNION ALL
    SELECT
      '31',
      'Order Completed',
      'unplanned-property',
      'products[]',
      's11',
      'no'
    UNION ALL
    SELECT
      '32',
      'Order Completed',
      'unplanned-property',
      NULL,
      's19',
      'no'
    UNION ALL
    SELECT
      '33',
      'Coupon Entered',
      'deprecated-event',
      NULL,
      's20',
      'no'
    UNION ALL
    SELECT
      '34',
      'Coupon Entered',
      'wrong-type',
      'code',
      's12',
      'no'
    UNION ALL
    SELECT
      '35',
      'Coupon Entered',
      'unplanned-property',
      NULL,
      's21',
      'no'
    UNION ALL
    SELECT
      '36',
      'Wallet Opened',
      'draft-event',
      NULL,
      's22',
      'no'
    UNION ALL
    SELECT
      '37',
      'Wallet Opened',
      'unplanned-platform',
      NULL,
      's16',
      'no'
    UNION ALL
    SELECT
      '38',
      'identify',
      'missing-trait',
      'email',
      's17',
      'no'
    UNION ALL
    SELECT
      '39',
      'identify',
      'trait',
      'email',
      's14',
      'yes'
    UNION ALL
    SELECT
      '40',
      'identify',
      'trait',
      'email',
      's14',
      'yes'
    UNION ALL
    SELECT
      '41',
      'identify',
      'trait',
      'plan_tier',
      's15',
      'no'
    UNION ALL
    SELECT
      '42',
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
      THEN CASE
        WHEN JSONHas("tp_props", 'order_id')
        THEN JSONExtractRaw("tp_props", 'order_id')
        ELSE NULL
      END
      WHEN 's2'
      THEN CASE
        WHEN JSONHas("tp_props", 'revenue')
        THEN JSONExtractRaw("tp_props", 'revenue')
        ELSE NULL
      END
      WHEN 's3'
      THEN CASE
        WHEN JSONHas("tp_props", 'quantity')
        THEN JSONExtractRaw("tp_props", 'quantity')
        ELSE NULL
      END
      WHEN 's4'
      THEN CASE
        WHEN JSONHas("tp_props", 'coupon')
        THEN JSONExtractRaw("tp_props", 'coupon')
        ELSE NULL
      END
      WHEN 's5'
      THEN CASE
        WHEN JSONHas("tp_props", 'gift')
        THEN JSONExtractRaw("tp_props", 'gift')
        ELSE NULL
      END
      WHEN 's6'
      THEN CASE
        WHEN JSONHas("tp_props", 'rating')
        THEN JSONExtractRaw("tp_props", 'rating')
        ELSE NULL
      END
      WHEN 's7'
      THEN CASE
        WHEN JSONHas("tp_props", 'card_holder')
        THEN JSONExtractRaw("tp_props", 'card_holder')
        ELSE NULL
      END
      WHEN 's8'
      THEN CASE
        WHEN JSONHas("tp_props", 'shipping')
        THEN JSONExtractRaw("tp_props", 'shipping')
        ELSE NULL
      END
      WHEN 's9'
      THEN CASE
        WHEN JSONHas(
          CASE
            WHEN JSONHas("tp_props", 'shipping')
            THEN JSONExtractRaw("tp_props", 'shipping')
            ELSE NULL
          END,
          'country'
        )
        THEN JSONExtractRaw(
          CASE
            WHEN JSONHas("tp_props", 'shipping')
            THEN JSONExtractRaw("tp_props", 'shipping')
            ELSE NULL
          END,
          'country'
        )
        ELSE NULL
      END
      WHEN 's10'
      THEN CASE
        WHEN JSONHas(
          CASE
            WHEN JSONHas("tp_props", 'shipping')
            THEN JSONExtractRaw("tp_props", 'shipping')
            ELSE NULL
          END,
          'express'
        )
        THEN JSONExtractRaw(
          CASE
            WHEN JSONHas("tp_props", 'shipping')
            THEN JSONExtractRaw("tp_props", 'shipping')
            ELSE NULL
          END,
          'express'
        )
        ELSE NULL
      END
      WHEN 's11'
      THEN CASE
        WHEN JSONHas("tp_props", 'products')
        THEN JSONExtractRaw("tp_props", 'products')
        ELSE NULL
      END
      WHEN 's12'
      THEN CASE
        WHEN JSONHas("tp_props", 'code')
        THEN JSONExtractRaw("tp_props", 'code')
        ELSE NULL
      END
      WHEN 's13'
      THEN CASE
        WHEN JSONHas("tp_props", 'balance')
        THEN JSONExtractRaw("tp_props", 'balance')
        ELSE NULL
      END
      WHEN 's14'
      THEN CASE
        WHEN JSONHas("tp_traits", 'email')
        THEN JSONExtractRaw("tp_traits", 'email')
        ELSE NULL
      END
      WHEN 's15'
      THEN CASE
        WHEN JSONHas("tp_traits", 'plan_tier')
        THEN JSONExtractRaw("tp_traits", 'plan_tier')
        ELSE NULL
      END
    END AS sample_value,
    CASE "r"."rule_sample"
      WHEN 's16'
      THEN "tp_platform"
      WHEN 's17'
      THEN '(missing)'
      WHEN 's18'
      THEN SUBSTRING(
        COALESCE(
          arrayStringConcat(
            arrayFilter(
              k -> NOT has(['country', 'express'], k),
              JSONExtractKeys(
                ifNull(
                  CASE
                    WHEN JSONType(
                      CASE
                        WHEN JSONHas("tp_props", 'shipping')
                        THEN JSONExtractRaw("tp_props", 'shipping')
                        ELSE NULL
                      END
                    ) IN ('Object')
                    THEN CASE
                      WHEN JSONHas("tp_props", 'shipping')
                      THEN JSONExtractRaw("tp_props", 'shipping')
                      ELSE NULL
                    END
                  END,
                  ''
                )
              )
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
          arrayStringConcat(
            arrayFilter(
              k -> NOT has(
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
              ),
              JSONExtractKeys(ifNull(CASE WHEN JSONType("tp_props") IN ('Object') THEN "tp_props" END, ''))
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
          arrayStringConcat(
            arrayFilter(
              k -> NOT has(['code'], k),
              JSONExtractKeys(ifNull(CASE WHEN JSONType("tp_props") IN ('Object') THEN "tp_props" END, ''))
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
    AND POSITION("c"."tp_codes", CONCAT('|', COALESCE("r"."rule_id", ''), '|')) > 0
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
                WHEN JSONType("sample_value") IN ('String')
                THEN 'string'
                WHEN JSONType("sample_value") IN ('Int64', 'UInt64')
                THEN 'integer'
                WHEN JSONType("sample_value") IN ('Double')
                THEN 'number'
                WHEN JSONType("sample_value") IN ('Bool')
                THEN 'boolean'
                WHEN JSONType("sample_value") IN ('Object')
                THEN 'object'
                WHEN JSONType("sample_value") IN ('Array')
                THEN 'array'
                WHEN JSONType("sample_value") IN ('Null')
                THEN 'null'
              END,
              ''
            ),
            ' of length ',
            COALESCE(CAST(lengthUTF8("sample_value") AS Nullable(String)), '')
          )
          WHEN "rule_check" = 'wrong-type'
          THEN CONCAT(
            COALESCE(
              CASE
                WHEN JSONType("sample_value") IN ('String')
                THEN 'string'
                WHEN JSONType("sample_value") IN ('Int64', 'UInt64')
                THEN 'integer'
                WHEN JSONType("sample_value") IN ('Double')
                THEN 'number'
                WHEN JSONType("sample_value") IN ('Bool')
                THEN 'boolean'
                WHEN JSONType("sample_value") IN ('Object')
                THEN 'object'
                WHEN JSONType("sample_value") IN ('Array')
                THEN 'array'
                WHEN JSONType("sample_value") IN ('Null')
                THEN 'null'
              END,
              ''
            ),
            ': ',
            COALESCE(SUBSTRING("sample_value", 1, 60), '')
          )
          WHEN JSONType("sample_value") IN ('String')
          THEN SUBSTRING(JSONExtractString("sample_value"), 1, 60)
          ELSE SUBSTRING("sample_value", 1, 60)
        END
      ) AS sample
    FROM hits
    UNION ALL
    SELECT
      "tp_event" AS event,
      'unplanned-event' AS rule_check,
      CAST(NULL AS Nullable(String)) AS rule_property,
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
    CAST("first_seen" AS Nullable(String)) AS "first_seen",
    CAST("last_seen" AS Nullable(String)) AS "last_seen",
    CAST(NULL AS Nullable(String)) AS "check",
    CAST(NULL AS Nullable(String)) AS "property",
    CAST(NULL AS Nullable(Int64)) AS "count",
    CAST(NULL AS Nullable(String)) AS "sample_1",
    CAST(NULL AS Nullable(String)) AS "sample_2"
  FROM seen
  UNION ALL
  SELECT
    "event" AS "event",
    CAST(NULL AS Nullable(Int64)) AS "seen",
    CAST(NULL AS Nullable(Int64)) AS "valid",
    CAST(NULL AS Nullable(String)) AS "first_seen",
    CAST(NULL AS Nullable(String)) AS "last_seen",
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
