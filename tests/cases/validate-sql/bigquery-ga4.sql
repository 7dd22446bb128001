WITH source AS (
  SELECT
    *,
    'track' AS tp_kind,
    COALESCE(`event_name`, '(no name)') AS tp_event,
    LOWER(`platform`) AS tp_platform,
    TIMESTAMP_MICROS(`event_timestamp`) AS tp_ts,
    NULL AS tp_props,
    NULL AS tp_traits
  FROM analytics.events
), checked AS (
  SELECT
    *,
    CASE
      WHEN `tp_event` = 'order_completed'
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
            WHEN (
              SELECT
                CASE
                  WHEN NOT p.value.string_value IS NULL
                  THEN TO_JSON(p.value.string_value)
                  WHEN NOT p.value.int_value IS NULL
                  THEN TO_JSON(p.value.int_value)
                  WHEN NOT p.value.double_value IS NULL
                  THEN TO_JSON(p.value.double_value)
                  WHEN NOT p.value.float_value IS NULL
                  THEN TO_JSON(p.value.float_value)
                  ELSE JSON 'null'
                END
              FROM UNNEST(`event_params`) AS p
              WHERE
                p.key = 'order_id'
              LIMIT 1
            ) IS NULL
            THEN '|2|'
            WHEN NOT JSON_TYPE(
              (
                SELECT
                  CASE
                    WHEN NOT p.value.string_value IS NULL
                    THEN TO_JSON(p.value.string_value)
                    WHEN NOT p.value.int_value IS NULL
                    THEN TO_JSON(p.value.int_value)
                    WHEN NOT p.value.double_value IS NULL
                    THEN TO_JSON(p.value.double_value)
                    WHEN NOT p.value.float_value IS NULL
                    THEN TO_JSON(p.value.float_value)
                    ELSE JSON 'null'
                  END
                FROM UNNEST(`event_params`) AS p
                WHERE
                  p.key = 'order_id'
                LIMIT 1
              )
            ) IN ('string')
            THEN '|3|'
            ELSE CASE
              WHEN NOT REGEXP_CONTAINS(
                JSON_VALUE(
                  (
                    SELECT
                      CASE
                        WHEN NOT p.value.string_value IS NULL
                        THEN TO_JSON(p.value.string_value)
                        WHEN NOT p.value.int_value IS NULL
                        THEN TO_JSON(p.value.int_value)
                        WHEN NOT p.value.double_value IS NULL
                        THEN TO_JSON(p.value.double_value)
                        WHEN NOT p.value.float_value IS NULL
                        THEN TO_JSON(p.value.float_value)
                        ELSE JSON 'null'
                      END
                    FROM UNNEST(`event_params`) AS p
                    WHERE
                      p.key = 'order_id'
                    LIMIT 1
                  ),
                  '$'
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
            WHEN (
              SELECT
                CASE
                  WHEN NOT p.value.string_value IS NULL
                  THEN TO_JSON(p.value.string_value)
                  WHEN NOT p.value.int_value IS NULL
                  THEN TO_JSON(p.value.int_value)
                  WHEN NOT p.value.double_value IS NULL
                  THEN TO_JSON(p.value.double_value)
                  WHEN NOT p.value.float_value IS NULL
                  THEN TO_JSON(p.value.float_value)
                  ELSE JSON 'null'
                END
              FROM UNNEST(`event_params`) AS p
              WHERE
                p.key = 'revenue'
              LIMIT 1
            ) IS NULL
            THEN '|5|'
            WHEN NOT JSON_TYPE(
              (
                SELECT
                  CASE
                    WHEN NOT p.value.string_value IS NULL
                    THEN TO_JSON(p.value.string_value)
                    WHEN NOT p.value.int_value IS NULL
                    THEN TO_JSON(p.value.int_value)
                    WHEN NOT p.value.double_value IS NULL
                    THEN TO_JSON(p.value.double_value)
                    WHEN NOT p.value.float_value IS NULL
                    THEN TO_JSON(p.value.float_value)
                    ELSE JSON 'null'
                  END
                FROM UNNEST(`event_params`) AS p
                WHERE
                  p.key = 'revenue'
                LIMIT 1
              )
            ) IN ('number')
            THEN '|6|'
            ELSE CASE
              WHEN (
                LAX_FLOAT64(
                  (
                    SELECT
                      CASE
                        WHEN NOT p.value.string_value IS NULL
                        THEN TO_JSON(p.value.string_value)
                        WHEN NOT p.value.int_value IS NULL
                        THEN TO_JSON(p.value.int_value)
                        WHEN NOT p.value.double_value IS NULL
                        THEN TO_JSON(p.value.double_value)
                        WHEN NOT p.value.float_value IS NULL
                        THEN TO_JSON(p.value.float_value)
                        ELSE JSON 'null'
                      END
                    FROM UNNEST(`event_params`) AS p
                    WHERE
                      p.key = 'revenue'
                    LIMIT 1
                  )
                ) < 0.0
                OR LAX_FLOAT64(
                  (
                    SELECT
                      CASE
                        WHEN NOT p.value.string_value IS NULL
                        THEN TO_JSON(p.value.string_value)
                        WHEN NOT p.value.int_value IS NULL
                        THEN TO_JSON(p.value.int_value)
                        WHEN NOT p.value.double_value IS NULL
                        THEN TO_JSON(p.value.double_value)
                        WHEN NOT p.value.float_value IS NULL
                        THEN TO_JSON(p.value.float_value)
                        ELSE JSON 'null'
                      END
                    FROM UNNEST(`event_params`) AS p
                    WHERE
                      p.key = 'revenue'
                    LIMIT 1
                  )
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
            WHEN (
              SELECT
                CASE
                  WHEN NOT p.value.string_value IS NULL
                  THEN TO_JSON(p.value.string_value)
                  WHEN NOT p.value.int_value IS NULL
                  THEN TO_JSON(p.value.int_value)
                  WHEN NOT p.value.double_value IS NULL
                  THEN TO_JSON(p.value.double_value)
                  WHEN NOT p.value.float_value IS NULL
                  THEN TO_JSON(p.value.float_value)
                  ELSE JSON 'null'
                END
              FROM UNNEST(`event_params`) AS p
              WHERE
                p.key = 'quantity'
              LIMIT 1
            ) IS NULL
            THEN ''
            WHEN NOT (
              JSON_TYPE(
                (
                  SELECT
                    CASE
                      WHEN NOT p.value.string_value IS NULL
                      THEN TO_JSON(p.value.string_value)
                      WHEN NOT p.value.int_value IS NULL
                      THEN TO_JSON(p.value.int_value)
                      WHEN NOT p.value.double_value IS NULL
                      THEN TO_JSON(p.value.double_value)
                      WHEN NOT p.value.float_value IS NULL
                      THEN TO_JSON(p.value.float_value)
                      ELSE JSON 'null'
                    END
                  FROM UNNEST(`event_params`) AS p
                  WHERE
                    p.key = 'quantity'
                  LIMIT 1
                )
              ) = 'number'
              AND REGEXP_CONTAINS(
                TO_JSON_STRING(
                  (
                    SELECT
                      CASE
                        WHEN NOT p.value.string_value IS NULL
                        THEN TO_JSON(p.value.string_value)
                        WHEN NOT p.value.int_value IS NULL
                        THEN TO_JSON(p.value.int_value)
                        WHEN NOT p.value.double_value IS NULL
                        THEN TO_JSON(p.value.double_value)
                        WHEN NOT p.value.float_value IS NULL
                        THEN TO_JSON(p.value.float_value)
                        ELSE JSON 'null'
                      END
                    FROM UNNEST(`event_params`) AS p
                    WHERE
                      p.key = 'quantity'
                    LIMIT 1
                  )
                ),
                '^-?[0-9]+$'
              )
            )
            THEN '|8|'
            ELSE CASE
              WHEN LAX_FLOAT64(
                (
                  SELECT
                    CASE
                      WHEN NOT p.value.string_value IS NULL
                      THEN TO_JSON(p.value.string_value)
                      WHEN NOT p.value.int_value IS NULL
                      THEN TO_JSON(p.value.int_value)
                      WHEN NOT p.value.double_value IS NULL
                      THEN TO_JSON(p.value.double_value)
                      WHEN NOT p.value.float_value IS NULL
                      THEN TO_JSON(p.value.float_value)
                      ELSE JSON 'null'
                    END
                  FROM UNNEST(`event_params`) AS p
                  WHERE
                    p.key = 'quantity'
                  LIMIT 1
                )
              ) < 1.0
              THEN '|9|'
              ELSE ''
            END
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN (
              SELECT
                CASE
                  WHEN NOT p.value.string_value IS NULL
                  THEN TO_JSON(p.value.string_value)
                  WHEN NOT p.value.int_value IS NULL
                  THEN TO_JSON(p.value.int_value)
                  WHEN NOT p.value.double_value IS NULL
                  THEN TO_JSON(p.value.double_value)
                  WHEN NOT p.value.float_value IS NULL
                  THEN TO_JSON(p.value.float_value)
                  ELSE JSON 'null'
                END
              FROM UNNEST(`event_params`) AS p
              WHERE
                p.key = 'coupon'
              LIMIT 1
            ) IS NULL
            THEN ''
            WHEN NOT JSON_TYPE(
              (
                SELECT
                  CASE
                    WHEN NOT p.value.string_value IS NULL
                    THEN TO_JSON(p.value.string_value)
                    WHEN NOT p.value.int_value IS NULL
                    THEN TO_JSON(p.value.int_value)
                    WHEN NOT p.value.double_value IS NULL
                    THEN TO_JSON(p.value.double_value)
                    WHEN NOT p.value.float_value IS NULL
                    THEN TO_JSON(p.value.float_value)
                    ELSE JSON 'null'
                  END
                FROM UNNEST(`event_params`) AS p
                WHERE
                  p.key = 'coupon'
                LIMIT 1
              )
            ) IN ('string', 'null')
            THEN '|10|'
            ELSE CASE
              WHEN JSON_TYPE(
                (
                  SELECT
                    CASE
                      WHEN NOT p.value.string_value IS NULL
                      THEN TO_JSON(p.value.string_value)
                      WHEN NOT p.value.int_value IS NULL
                      THEN TO_JSON(p.value.int_value)
                      WHEN NOT p.value.double_value IS NULL
                      THEN TO_JSON(p.value.double_value)
                      WHEN NOT p.value.float_value IS NULL
                      THEN TO_JSON(p.value.float_value)
                      ELSE JSON 'null'
                    END
                  FROM UNNEST(`event_params`) AS p
                  WHERE
                    p.key = 'coupon'
                  LIMIT 1
                )
              ) IN ('string')
              AND LENGTH(
                JSON_VALUE(
                  (
                    SELECT
                      CASE
                        WHEN NOT p.value.string_value IS NULL
                        THEN TO_JSON(p.value.string_value)
                        WHEN NOT p.value.int_value IS NULL
                        THEN TO_JSON(p.value.int_value)
                        WHEN NOT p.value.double_value IS NULL
                        THEN TO_JSON(p.value.double_value)
                        WHEN NOT p.value.float_value IS NULL
                        THEN TO_JSON(p.value.float_value)
                        ELSE JSON 'null'
                      END
                    FROM UNNEST(`event_params`) AS p
                    WHERE
                      p.key = 'coupon'
                    LIMIT 1
                  ),
                  '$'
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
            WHEN (
              SELECT
                CASE
                  WHEN NOT p.value.string_value IS NULL
                  THEN TO_JSON(p.value.string_value)
                  WHEN NOT p.value.int_value IS NULL
                  THEN TO_JSON(p.value.int_value)
                  WHEN NOT p.value.double_value IS NULL
                  THEN TO_JSON(p.value.double_value)
                  WHEN NOT p.value.float_value IS NULL
                  THEN TO_JSON(p.value.float_value)
                  ELSE JSON 'null'
                END
              FROM UNNEST(`event_params`) AS p
              WHERE
                p.key = 'gift'
              LIMIT 1
            ) IS NULL
            THEN ''
            WHEN NOT JSON_TYPE(
              (
                SELECT
                  CASE
                    WHEN NOT p.value.string_value IS NULL
                    THEN TO_JSON(p.value.string_value)
                    WHEN NOT p.value.int_value IS NULL
                    THEN TO_JSON(p.value.int_value)
                    WHEN NOT p.value.double_value IS NULL
                    THEN TO_JSON(p.value.double_value)
                    WHEN NOT p.value.float_value IS NULL
                    THEN TO_JSON(p.value.float_value)
                    ELSE JSON 'null'
                  END
                FROM UNNEST(`event_params`) AS p
                WHERE
                  p.key = 'gift'
                LIMIT 1
              )
            ) IN ('boolean')
            THEN '|12|'
            ELSE CASE
              WHEN NOT COALESCE(
                TO_JSON_STRING(
                  (
                    SELECT
                      CASE
                        WHEN NOT p.value.string_value IS NULL
                        THEN TO_JSON(p.value.string_value)
                        WHEN NOT p.value.int_value IS NULL
                        THEN TO_JSON(p.value.int_value)
                        WHEN NOT p.value.double_value IS NULL
                        THEN TO_JSON(p.value.double_value)
                        WHEN NOT p.value.float_value IS NULL
                        THEN TO_JSON(p.value.float_value)
                        ELSE JSON 'null'
                      END
                    FROM UNNEST(`event_params`) AS p
                    WHERE
                      p.key = 'gift'
                    LIMIT 1
                  )
                ) IN ('false'),
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
            WHEN (
              SELECT
                CASE
                  WHEN NOT p.value.string_value IS NULL
                  THEN TO_JSON(p.value.string_value)
                  WHEN NOT p.value.int_value IS NULL
                  THEN TO_JSON(p.value.int_value)
                  WHEN NOT p.value.double_value IS NULL
                  THEN TO_JSON(p.value.double_value)
                  WHEN NOT p.value.float_value IS NULL
                  THEN TO_JSON(p.value.float_value)
                  ELSE JSON 'null'
                END
              FROM UNNEST(`event_params`) AS p
              WHERE
                p.key = 'rating'
              LIMIT 1
            ) IS NULL
            THEN ''
            WHEN NOT JSON_TYPE(
              (
                SELECT
                  CASE
                    WHEN NOT p.value.string_value IS NULL
                    THEN TO_JSON(p.value.string_value)
                    WHEN NOT p.value.int_value IS NULL
                    THEN TO_JSON(p.value.int_value)
                    WHEN NOT p.value.double_value IS NULL
                    THEN TO_JSON(p.value.double_value)
                    WHEN NOT p.value.float_value IS NULL
                    THEN TO_JSON(p.value.float_value)
                    ELSE JSON 'null'
                  END
                FROM UNNEST(`event_params`) AS p
                WHERE
                  p.key = 'rating'
                LIMIT 1
              )
            ) IN ('number')
            THEN '|14|'
            ELSE CASE
              WHEN NOT COALESCE(
                LAX_FLOAT64(
                  (
                    SELECT
                      CASE
                        WHEN NOT p.value.string_value IS NULL
                        THEN TO_JSON(p.value.string_value)
                        WHEN NOT p.value.int_value IS NULL
                        THEN TO_JSON(p.value.int_value)
                        WHEN NOT p.value.double_value IS NULL
                        THEN TO_JSON(p.value.double_value)
                        WHEN NOT p.value.float_value IS NULL
                        THEN TO_JSON(p.value.float_value)
                        ELSE JSON 'null'
                      END
                    FROM UNNEST(`event_params`) AS p
                    WHERE
                      p.key = 'rating'
                    LIMIT 1
                  )
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
            WHEN (
              SELECT
                CASE
                  WHEN NOT p.value.string_value IS NULL
                  THEN TO_JSON(p.value.string_value)
                  WHEN NOT p.value.int_value IS NULL
                  THEN TO_JSON(p.value.int_value)
                  WHEN NOT p.value.double_value IS NULL
                  THEN TO_JSON(p.value.double_value)
                  WHEN NOT p.value.float_value IS NULL
                  THEN TO_JSON(p.value.float_value)
                  ELSE JSON 'null'
                END
              FROM UNNEST(`event_params`) AS p
              WHERE
                p.key = 'card_holder'
              LIMIT 1
            ) IS NULL
            THEN ''
            WHEN NOT JSON_TYPE(
              (
                SELECT
                  CASE
                    WHEN NOT p.value.string_value IS NULL
                    THEN TO_JSON(p.value.string_value)
                    WHEN NOT p.value.int_value IS NULL
                    THEN TO_JSON(p.value.int_value)
                    WHEN NOT p.value.double_value IS NULL
                    THEN TO_JSON(p.value.double_value)
                    WHEN NOT p.value.float_value IS NULL
                    THEN TO_JSON(p.value.float_value)
                    ELSE JSON 'null'
                  END
                FROM UNNEST(`event_params`) AS p
                WHERE
                  p.key = 'card_holder'
                LIMIT 1
              )
            ) IN ('string')
            THEN '|16|'
            ELSE CASE
              WHEN LENGTH(
                JSON_VALUE(
                  (
                    SELECT
                      CASE
                        WHEN NOT p.value.string_value IS NULL
                        THEN TO_JSON(p.value.string_value)
                        WHEN NOT p.value.int_value IS NULL
                        THEN TO_JSON(p.value.int_value)
                        WHEN NOT p.value.double_value IS NULL
                        THEN TO_JSON(p.value.double_value)
                        WHEN NOT p.value.float_value IS NULL
                        THEN TO_JSON(p.value.float_value)
                        ELSE JSON 'null'
                      END
                    FROM UNNEST(`event_params`) AS p
                    WHERE
                      p.key = 'card_holder'
                    LIMIT 1
                  ),
                  '$'
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
            WHEN (
              SELECT
                CASE
                  WHEN NOT p.value.string_value IS NULL
                  THEN TO_JSON(p.value.string_value)
                  WHEN NOT p.value.int_value IS NULL
                  THEN TO_JSON(p.value.int_value)
                  WHEN NOT p.value.double_value IS NULL
                  THEN TO_JSON(p.value.double_value)
                  WHEN NOT p.value.float_value IS NULL
                  THEN TO_JSON(p.value.float_value)
                  ELSE JSON 'null'
                END
              FROM UNNEST(`event_params`) AS p
              WHERE
                p.key = 'shipping'
              LIMIT 1
            ) IS NULL
            THEN ''
            WHEN NOT JSON_TYPE(
              (
                SELECT
                  CASE
                    WHEN NOT p.value.string_value IS NULL
                    THEN TO_JSON(p.value.string_value)
                    WHEN NOT p.value.int_value IS NULL
                    THEN TO_JSON(p.value.int_value)
                    WHEN NOT p.value.double_value IS NULL
                    THEN TO_JSON(p.value.double_value)
                    WHEN NOT p.value.float_value IS NULL
                    THEN TO_JSON(p.value.float_value)
                    ELSE JSON 'null'
                  END
                FROM UNNEST(`event_params`) AS p
                WHERE
                  p.key = 'shipping'
                LIMIT 1
              )
            ) IN ('object')
            THEN '|18|'
            ELSE ''
          END,
          ''
        ),
        COALESCE(
          CASE
            WHEN JSON_QUERY(
              (
                SELECT
                  CASE
                    WHEN NOT p.value.string_value IS NULL
                    THEN TO_JSON(p.value.string_value)
                    WHEN NOT p.value.int_value IS NULL
                    THEN TO_JSON(p.value.int_value)
                    WHEN NOT p.value.double_value IS NULL
                    THEN TO_JSON(p.value.double_value)
                    WHEN NOT p.value.float_value IS NULL
                    THEN TO_JSON(p.value.float_value)
                    ELSE JSON 'null'
                  END
                FROM UNNEST(`event_params`) AS p
                WHERE
                  p.key = 'shipping'
                LIMIT 1
              ),
              '$."country"'
            ) IS NULL
            THEN CASE
              WHEN JSON_TYPE(
                (
                  SELECT
                    CASE
                      WHEN NOT p.value.string_value IS NULL
                      THEN TO_JSON(p.value.string_value)
                      WHEN NOT p.value.int_value IS NULL
                      THEN TO_JSON(p.value.int_value)
                      WHEN NOT p.value.double_value IS NULL
                      THEN TO_JSON(p.value.double_value)
                      WHEN NOT p.value.float_value IS NULL
                      THEN TO_JSON(p.value.float_value)
                      ELSE JSON 'null'
                    END
                  FROM UNNEST(`event_params`) AS p
                  WHERE
                    p.key = 'shipping'
                  LIMIT 1
                )
              ) IN ('object')
              THEN '|19|'
              ELSE ''
            END
            WHEN NOT JSON_TYPE(
              JSON_QUERY(
                (
                  SELECT
                    CASE
                      WHEN NOT p.value.string_value IS NULL
                      THEN TO_JSON(p.value.string_value)
                      WHEN NOT p.value.int_value IS NULL
                      THEN TO_JSON(p.value.int_value)
                      WHEN NOT p.value.double_value IS NULL
                      THEN TO_JSON(p.value.double_value)
                      WHEN NOT p.value.float_value IS NULL
                      THEN TO_JSON(p.value.float_value)
                      ELSE JSON 'null'
                    END
                  FROM UNNEST(`event_params`) AS p
                  WHERE
                    p.key = 'shipping'
                  LIMIT 1
                ),
                '$."country"'
              )
            ) IN ('string')
            THEN '|20|'
            ELSE CASE
              WHEN NOT REGEXP_CONTAINS(
                JSON_VALUE(
                  JSON_QUERY(
                    (
                      SELECT
                        CASE
                          WHEN NOT p.value.string_value IS NULL
                          THEN TO_JSON(p.value.string_value)
                          WHEN NOT p.value.int_value IS NULL
                          THEN TO_JSON(p.value.int_value)
                          WHEN NOT p.value.double_value IS NULL
                          THEN TO_JSON(p.value.double_value)
                          WHEN NOT p.value.float_value IS NULL
                          THEN TO_JSON(p.value.float_value)
                          ELSE JSON 'null'
                        END
                      FROM UNNEST(`event_params`) AS p
                      WHERE
                        p.key = 'shipping'
                      LIMIT 1
                    ),
                    '$."country"'
                  ),
                  '$'
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
            WHEN JSON_QUERY(
              (
                SELECT
                  CASE
                    WHEN NOT p.value.string_value IS NULL
                    THEN TO_JSON(p.value.string_value)
                    WHEN NOT p.value.int_value IS NULL
                    THEN TO_JSON(p.value.int_value)
                    WHEN NOT p.value.double_value IS NULL
                    THEN TO_JSON(p.value.double_value)
                    WHEN NOT p.value.float_value IS NULL
                    THEN TO_JSON(p.value.float_value)
                    ELSE JSON 'null'
                  END
                FROM UNNEST(`event_params`) AS p
                WHERE
                  p.key = 'shipping'
                LIMIT 1
              ),
              '$."express"'
            ) IS NULL
            THEN ''
            WHEN NOT JSON_TYPE(
              JSON_QUERY(
                (
                  SELECT
                    CASE
                      WHEN NOT p.value.string_value IS NULL
                      THEN TO_JSON(p.value.string_value)
                      WHEN NOT p.value.int_value IS NULL
                      THEN TO_JSON(p.value.int_value)
                      WHEN NOT p.value.double_value IS NULL
                      THEN TO_JSON(p.value.double_value)
                      WHEN NOT p.value.float_value IS NULL
                      THEN TO_JSON(p.value.float_value)
                      ELSE JSON 'null'
                    END
                  FROM UNNEST(`event_params`) AS p
                  WHERE
                    p.key = 'shipping'
                  LIMIT 1
                ),
                '$."express"'
              )
            ) IN ('boolean')
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
                      WHEN JSON_TYPE(
                        (
                          SELECT
                            CASE
                              WHEN NOT p.value.string_value IS NULL
                              THEN TO_JSON(p.value.string_value)
                              WHEN NOT p.value.int_value IS NULL
                              THEN TO_JSON(p.value.int_value)
                              WHEN NOT p.value.double_value IS NULL
                              THEN TO_JSON(p.value.double_value)
                              WHEN NOT p.value.float_value IS NULL
                              THEN TO_JSON(p.value.float_value)
                              ELSE JSON 'null'
                            END
                          FROM UNNEST(`event_params`) AS p
                          WHERE
                            p.key = 'shipping'
                          LIMIT 1
                        )
                      ) IN ('object')
                      THEN (
                        SELECT
                          CASE
                            WHEN NOT p.value.string_value IS NULL
                            THEN TO_JSON(p.value.string_value)
                            WHEN NOT p.value.int_value IS NULL
                            THEN TO_JSON(p.value.int_value)
                            WHEN NOT p.value.double_value IS NULL
                            THEN TO_JSON(p.value.double_value)
                            WHEN NOT p.value.float_value IS NULL
                            THEN TO_JSON(p.value.float_value)
                            ELSE JSON 'null'
                          END
                        FROM UNNEST(`event_params`) AS p
                        WHERE
                          p.key = 'shipping'
                        LIMIT 1
                      )
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
            WHEN (
              SELECT
                CASE
                  WHEN NOT p.value.string_value IS NULL
                  THEN TO_JSON(p.value.string_value)
                  WHEN NOT p.value.int_value IS NULL
                  THEN TO_JSON(p.value.int_value)
                  WHEN NOT p.value.double_value IS NULL
                  THEN TO_JSON(p.value.double_value)
                  WHEN NOT p.value.float_value IS NULL
                  THEN TO_JSON(p.value.float_value)
                  ELSE JSON 'null'
                END
              FROM UNNEST(`event_params`) AS p
              WHERE
                p.key = 'products'
              LIMIT 1
            ) IS NULL
            THEN ''
            WHEN NOT JSON_TYPE(
              (
                SELECT
                  CASE
                    WHEN NOT p.value.string_value IS NULL
                    THEN TO_JSON(p.value.string_value)
                    WHEN NOT p.value.int_value IS NULL
                    THEN TO_JSON(p.value.int_value)
                    WHEN NOT p.value.double_value IS NULL
                    THEN TO_JSON(p.value.double_value)
                    WHEN NOT p.value.float_value IS NULL
                    THEN TO_JSON(p.value.float_value)
                    ELSE JSON 'null'
                  END
                FROM UNNEST(`event_params`) AS p
                WHERE
                  p.key = 'products'
                LIMIT 1
              )
            ) IN ('array')
            THEN '|24|'
            ELSE CASE
              WHEN (
                ARRAY_LENGTH(
                  JSON_QUERY_ARRAY(
                    (
                      SELECT
                        CASE
                          WHEN NOT p.value.string_value IS NULL
                          THEN TO_JSON(p.value.string_value)
                          WHEN NOT p.value.int_value IS NULL
                          THEN TO_JSON(p.value.int_value)
                          WHEN NOT p.value.double_value IS NULL
                          THEN TO_JSON(p.value.double_value)
                          WHEN NOT p.value.float_value IS NULL
                          THEN TO_JSON(p.value.float_value)
                          ELSE JSON 'null'
                        END
                      FROM UNNEST(`event_params`) AS p
                      WHERE
                        p.key = 'products'
                      LIMIT 1
                    ),
                    '$'
                  )
                ) < 1
                OR ARRAY_LENGTH(
                  JSON_QUERY_ARRAY(
                    (
                      SELECT
                        CASE
                          WHEN NOT p.value.string_value IS NULL
                          THEN TO_JSON(p.value.string_value)
                          WHEN NOT p.value.int_value IS NULL
                          THEN TO_JSON(p.value.int_value)
                          WHEN NOT p.value.double_value IS NULL
                          THEN TO_JSON(p.value.double_value)
                          WHEN NOT p.value.float_value IS NULL
                          THEN TO_JSON(p.value.float_value)
                          ELSE JSON 'null'
                        END
                      FROM UNNEST(`event_params`) AS p
                      WHERE
                        p.key = 'products'
                      LIMIT 1
                    ),
                    '$'
                  )
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
            WHEN EXISTS(
              SELECT
                1
              FROM UNNEST(JSON_QUERY_ARRAY(
                (
                  SELECT
                    CASE
                      WHEN NOT p.value.string_value IS NULL
                      THEN TO_JSON(p.value.string_value)
                      WHEN NOT p.value.int_value IS NULL
                      THEN TO_JSON(p.value.int_value)
                      WHEN NOT p.value.double_value IS NULL
                      THEN TO_JSON(p.value.double_value)
                      WHEN NOT p.value.float_value IS NULL
                      THEN TO_JSON(p.value.float_value)
                      ELSE JSON 'null'
                    END
                  FROM UNNEST(`event_params`) AS p
                  WHERE
                    p.key = 'products'
                  LIMIT 1
                ),
                '$'
              )) AS x_products
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
              FROM UNNEST(JSON_QUERY_ARRAY(
                (
                  SELECT
                    CASE
                      WHEN NOT p.value.string_value IS NULL
                      THEN TO_JSON(p.value.string_value)
                      WHEN NOT p.value.int_value IS NULL
                      THEN TO_JSON(p.value.int_value)
                      WHEN NOT p.value.double_value IS NULL
                      THEN TO_JSON(p.value.double_value)
                      WHEN NOT p.value.float_value IS NULL
                      THEN TO_JSON(p.value.float_value)
                      ELSE JSON 'null'
                    END
                  FROM UNNEST(`event_params`) AS p
                  WHERE
                    p.key = 'products'
                  LIMIT 1
                ),
                '$'
              )) AS x_products
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
              FROM UNNEST(JSON_QUERY_ARRAY(
                (
                  SELECT
                    CASE
                      WHEN NOT p.value.string_value IS NULL
                      THEN TO_JSON(p.value.string_value)
                      WHEN NOT p.value.int_value IS NULL
                      THEN TO_JSON(p.value.int_value)
                      WHEN NOT p.value.double_value IS NULL
                      THEN TO_JSON(p.value.double_value)
                      WHEN NOT p.value.float_value IS NULL
                      THEN TO_JSON(p.value.float_value)
                      ELSE JSON 'null'
                    END
                  FROM UNNEST(`event_params`) AS p
                  WHERE
                    p.key = 'products'
                  LIMIT 1
                ),
                '$'
              )) AS x_products
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
              FROM UNNEST(JSON_QUERY_ARRAY(
                (
                  SELECT
                    CASE
                      WHEN NOT p.value.string_value IS NULL
                      THEN TO_JSON(p.value.string_value)
                      WHEN NOT p.value.int_value IS NULL
                      THEN TO_JSON(p.value.int_value)
                      WHEN NOT p.value.double_value IS NULL
                      THEN TO_JSON(p.value.double_value)
                      WHEN NOT p.value.float_value IS NULL
                      THEN TO_JSON(p.value.float_value)
                      ELSE JSON 'null'
                    END
                  FROM UNNEST(`event_params`) AS p
                  WHERE
                    p.key = 'products'
                  LIMIT 1
                ),
                '$'
              )) AS x_products
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
              FROM UNNEST(JSON_QUERY_ARRAY(
                (
                  SELECT
                    CASE
                      WHEN NOT p.value.string_value IS NULL
                      THEN TO_JSON(p.value.string_value)
                      WHEN NOT p.value.int_value IS NULL
                      THEN TO_JSON(p.value.int_value)
                      WHEN NOT p.value.double_value IS NULL
                      THEN TO_JSON(p.value.double_value)
                      WHEN NOT p.value.float_value IS NULL
                      THEN TO_JSON(p.value.float_value)
                      ELSE JSON 'null'
                    END
                  FROM UNNEST(`event_params`) AS p
                  WHERE
                    p.key = 'products'
                  LIMIT 1
                ),
                '$'
              )) AS x_products
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
              FROM UNNEST(JSON_QUERY_ARRAY(
                (
                  SELECT
                    CASE
                      WHEN NOT p.value.string_value IS NULL
                      THEN TO_JSON(p.value.string_value)
                      WHEN NOT p.value.int_value IS NULL
                      THEN TO_JSON(p.value.int_value)
                      WHEN NOT p.value.double_value IS NULL
                      THEN TO_JSON(p.value.double_value)
                      WHEN NOT p.value.float_value IS NULL
                      THEN TO_JSON(p.value.float_value)
                      ELSE JSON 'null'
                    END
                  FROM UNNEST(`event_params`) AS p
                  WHERE
                    p.key = 'products'
                  LIMIT 1
                ),
                '$'
              )) AS x_products
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
                    p.key
                  FROM UNNEST(`event_params`) AS p
                  WHERE
                    NOT p.key IN UNNEST([
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
      WHEN `tp_event` = 'coupon_entered'
      THEN CONCAT(
        '|33|',
        COALESCE(
          CASE
            WHEN (
              SELECT
                CASE
                  WHEN NOT p.value.string_value IS NULL
                  THEN TO_JSON(p.value.string_value)
                  WHEN NOT p.value.int_value IS NULL
                  THEN TO_JSON(p.value.int_value)
                  WHEN NOT p.value.double_value IS NULL
                  THEN TO_JSON(p.value.double_value)
                  WHEN NOT p.value.float_value IS NULL
                  THEN TO_JSON(p.value.float_value)
                  ELSE JSON 'null'
                END
              FROM UNNEST(`event_params`) AS p
              WHERE
                p.key = 'code'
              LIMIT 1
            ) IS NULL
            THEN ''
            WHEN NOT JSON_TYPE(
              (
                SELECT
                  CASE
                    WHEN NOT p.value.string_value IS NULL
                    THEN TO_JSON(p.value.string_value)
                    WHEN NOT p.value.int_value IS NULL
                    THEN TO_JSON(p.value.int_value)
                    WHEN NOT p.value.double_value IS NULL
                    THEN TO_JSON(p.value.double_value)
                    WHEN NOT p.value.float_value IS NULL
                    THEN TO_JSON(p.value.float_value)
                    ELSE JSON 'null'
                  END
                FROM UNNEST(`event_params`) AS p
                WHERE
                  p.key = 'code'
                LIMIT 1
              )
            ) IN ('string')
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
                    p.key
                  FROM UNNEST(`event_params`) AS p
                  WHERE
                    NOT p.key IN UNNEST(['code'])
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
      WHEN `tp_event` = 'wallet_opened'
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
      'order_completed' AS rule_event,
      'unplanned-platform' AS rule_check,
      NULL AS rule_property,
      's14' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '2' AS rule_id,
      'order_completed' AS rule_event,
      'missing-property' AS rule_check,
      'order_id' AS rule_property,
      's15' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '3' AS rule_id,
      'order_completed' AS rule_event,
      'wrong-type' AS rule_check,
      'order_id' AS rule_property,
      's1' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '4' AS rule_id,
      'order_completed' AS rule_event,
      'pattern' AS rule_check,
      'order_id' AS rule_property,
      's1' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '5' AS rule_id,
      'order_completed' AS rule_event,
      'missing-property' AS rule_check,
      'revenue' AS rule_property,
      's15' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '6' AS rule_id,
      'order_completed' AS rule_event,
      'wrong-type' AS rule_check,
      'revenue' AS rule_property,
      's2' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '7' AS rule_id,
      'order_completed' AS rule_event,
      'range' AS rule_check,
      'revenue' AS rule_property,
      's2' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '8' AS rule_id,
      'order_completed' AS rule_event,
      'wrong-type' AS rule_check,
      'quantity' AS rule_property,
      's3' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '9' AS rule_id,
      'order_completed' AS rule_event,
      'range' AS rule_check,
      'quantity' AS rule_property,
      's3' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '10' AS rule_id,
      'order_completed' AS rule_event,
      'wrong-type' AS rule_check,
      'coupon' AS rule_property,
      's4' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '11' AS rule_id,
      'order_completed' AS rule_event,
      'length' AS rule_check,
      'coupon' AS rule_property,
      's4' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '12' AS rule_id,
      'order_completed' AS rule_event,
      'wrong-type' AS rule_check,
      'gift' AS rule_property,
      's5' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '13' AS rule_id,
      'order_completed' AS rule_event,
      'enum' AS rule_check,
      'gift' AS rule_property,
      's5' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '14' AS rule_id,
      'order_completed' AS rule_event,
      'wrong-type' AS rule_check,
      'rating' AS rule_property,
      's6' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '15' AS rule_id,
      'order_completed' AS rule_event,
      'enum' AS rule_check,
      'rating' AS rule_property,
      's6' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '16' AS rule_id,
      'order_completed' AS rule_event,
      'wrong-type' AS rule_check,
      'card_holder' AS rule_property,
      's7' AS rule_sample,
      'yes' AS rule_pii
    ),
    STRUCT(
      '17' AS rule_id,
      'order_completed' AS rule_event,
      'length' AS rule_check,
      'card_holder' AS rule_property,
      's7' AS rule_sample,
      'yes' AS rule_pii
    ),
    STRUCT(
      '18' AS rule_id,
      'order_completed' AS rule_event,
      'wrong-type' AS rule_check,
      'shipping' AS rule_property,
      's8' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '19' AS rule_id,
      'order_completed' AS rule_event,
      'missing-property' AS rule_check,
      'shipping.country' AS rule_property,
      's15' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '20' AS rule_id,
      'order_completed' AS rule_event,
      'wrong-type' AS rule_check,
      'shipping.country' AS rule_property,
      's9' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '21' AS rule_id,
      'order_completed' AS rule_event,
      'pattern' AS rule_check,
      'shipping.country' AS rule_property,
      's9' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '22' AS rule_id,
      'order_completed' AS rule_event,
      'wrong-type' AS rule_check,
      'shipping.express' AS rule_property,
      's10' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '23' AS rule_id,
      'order_completed' AS rule_event,
      'unplanned-property' AS rule_check,
      'shipping' AS rule_property,
      's16' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '24' AS rule_id,
      'order_completed' AS rule_event,
      'wrong-type' AS rule_check,
      'products' AS rule_property,
      's11' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '25' AS rule_id,
      'order_completed' AS rule_event,
      'items' AS rule_check,
      'products' AS rule_property,
      's11' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '26' AS rule_id,
      'order_completed' AS rule_event,
      'wrong-type' AS rule_check,
      'products[]' AS rule_property,
      's11' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '27' AS rule_id,
      'order_completed' AS rule_event,
      'missing-property' AS rule_check,
      'products[].sku' AS rule_property,
      's15' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '28' AS rule_id,
      'order_completed' AS rule_event,
      'wrong-type' AS rule_check,
      'products[].sku' AS rule_property,
      's11' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '29' AS rule_id,
      'order_completed' AS rule_event,
      'wrong-type' AS rule_check,
      'products[].price' AS rule_property,
      's11' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '30' AS rule_id,
      'order_completed' AS rule_event,
      'range' AS rule_check,
      'products[].price' AS rule_property,
      's11' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '31' AS rule_id,
      'order_completed' AS rule_event,
      'unplanned-property' AS rule_check,
      'products[]' AS rule_property,
      's11' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '32' AS rule_id,
      'order_completed' AS rule_event,
      'unplanned-property' AS rule_check,
      NULL AS rule_property,
      's17' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '33' AS rule_id,
      'coupon_entered' AS rule_event,
      'deprecated-event' AS rule_check,
      NULL AS rule_property,
      's18' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '34' AS rule_id,
      'coupon_entered' AS rule_event,
      'wrong-type' AS rule_check,
      'code' AS rule_property,
      's12' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '35' AS rule_id,
      'coupon_entered' AS rule_event,
      'unplanned-property' AS rule_check,
      NULL AS rule_property,
      's19' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '36' AS rule_id,
      'wallet_opened' AS rule_event,
      'draft-event' AS rule_check,
      NULL AS rule_property,
      's20' AS rule_sample,
      'no' AS rule_pii
    ),
    STRUCT(
      '37' AS rule_id,
      'wallet_opened' AS rule_event,
      'unplanned-platform' AS rule_check,
      NULL AS rule_property,
      's14' AS rule_sample,
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
      THEN (
        SELECT
          CASE
            WHEN NOT p.value.string_value IS NULL
            THEN TO_JSON(p.value.string_value)
            WHEN NOT p.value.int_value IS NULL
            THEN TO_JSON(p.value.int_value)
            WHEN NOT p.value.double_value IS NULL
            THEN TO_JSON(p.value.double_value)
            WHEN NOT p.value.float_value IS NULL
            THEN TO_JSON(p.value.float_value)
            ELSE JSON 'null'
          END
        FROM UNNEST(`event_params`) AS p
        WHERE
          p.key = 'order_id'
        LIMIT 1
      )
      WHEN 's2'
      THEN (
        SELECT
          CASE
            WHEN NOT p.value.string_value IS NULL
            THEN TO_JSON(p.value.string_value)
            WHEN NOT p.value.int_value IS NULL
            THEN TO_JSON(p.value.int_value)
            WHEN NOT p.value.double_value IS NULL
            THEN TO_JSON(p.value.double_value)
            WHEN NOT p.value.float_value IS NULL
            THEN TO_JSON(p.value.float_value)
            ELSE JSON 'null'
          END
        FROM UNNEST(`event_params`) AS p
        WHERE
          p.key = 'revenue'
        LIMIT 1
      )
      WHEN 's3'
      THEN (
        SELECT
          CASE
            WHEN NOT p.value.string_value IS NULL
            THEN TO_JSON(p.value.string_value)
            WHEN NOT p.value.int_value IS NULL
            THEN TO_JSON(p.value.int_value)
            WHEN NOT p.value.double_value IS NULL
            THEN TO_JSON(p.value.double_value)
            WHEN NOT p.value.float_value IS NULL
            THEN TO_JSON(p.value.float_value)
            ELSE JSON 'null'
          END
        FROM UNNEST(`event_params`) AS p
        WHERE
          p.key = 'quantity'
        LIMIT 1
      )
      WHEN 's4'
      THEN (
        SELECT
          CASE
            WHEN NOT p.value.string_value IS NULL
            THEN TO_JSON(p.value.string_value)
            WHEN NOT p.value.int_value IS NULL
            THEN TO_JSON(p.value.int_value)
            WHEN NOT p.value.double_value IS NULL
            THEN TO_JSON(p.value.double_value)
            WHEN NOT p.value.float_value IS NULL
            THEN TO_JSON(p.value.float_value)
            ELSE JSON 'null'
          END
        FROM UNNEST(`event_params`) AS p
        WHERE
          p.key = 'coupon'
        LIMIT 1
      )
      WHEN 's5'
      THEN (
        SELECT
          CASE
            WHEN NOT p.value.string_value IS NULL
            THEN TO_JSON(p.value.string_value)
            WHEN NOT p.value.int_value IS NULL
            THEN TO_JSON(p.value.int_value)
            WHEN NOT p.value.double_value IS NULL
            THEN TO_JSON(p.value.double_value)
            WHEN NOT p.value.float_value IS NULL
            THEN TO_JSON(p.value.float_value)
            ELSE JSON 'null'
          END
        FROM UNNEST(`event_params`) AS p
        WHERE
          p.key = 'gift'
        LIMIT 1
      )
      WHEN 's6'
      THEN (
        SELECT
          CASE
            WHEN NOT p.value.string_value IS NULL
            THEN TO_JSON(p.value.string_value)
            WHEN NOT p.value.int_value IS NULL
            THEN TO_JSON(p.value.int_value)
            WHEN NOT p.value.double_value IS NULL
            THEN TO_JSON(p.value.double_value)
            WHEN NOT p.value.float_value IS NULL
            THEN TO_JSON(p.value.float_value)
            ELSE JSON 'null'
          END
        FROM UNNEST(`event_params`) AS p
        WHERE
          p.key = 'rating'
        LIMIT 1
      )
      WHEN 's7'
      THEN (
        SELECT
          CASE
            WHEN NOT p.value.string_value IS NULL
            THEN TO_JSON(p.value.string_value)
            WHEN NOT p.value.int_value IS NULL
            THEN TO_JSON(p.value.int_value)
            WHEN NOT p.value.double_value IS NULL
            THEN TO_JSON(p.value.double_value)
            WHEN NOT p.value.float_value IS NULL
            THEN TO_JSON(p.value.float_value)
            ELSE JSON 'null'
          END
        FROM UNNEST(`event_params`) AS p
        WHERE
          p.key = 'card_holder'
        LIMIT 1
      )
      WHEN 's8'
      THEN (
        SELECT
          CASE
            WHEN NOT p.value.string_value IS NULL
            THEN TO_JSON(p.value.string_value)
            WHEN NOT p.value.int_value IS NULL
            THEN TO_JSON(p.value.int_value)
            WHEN NOT p.value.double_value IS NULL
            THEN TO_JSON(p.value.double_value)
            WHEN NOT p.value.float_value IS NULL
            THEN TO_JSON(p.value.float_value)
            ELSE JSON 'null'
          END
        FROM UNNEST(`event_params`) AS p
        WHERE
          p.key = 'shipping'
        LIMIT 1
      )
      WHEN 's9'
      THEN JSON_QUERY(
        (
          SELECT
            CASE
              WHEN NOT p.value.string_value IS NULL
              THEN TO_JSON(p.value.string_value)
              WHEN NOT p.value.int_value IS NULL
              THEN TO_JSON(p.value.int_value)
              WHEN NOT p.value.double_value IS NULL
              THEN TO_JSON(p.value.double_value)
              WHEN NOT p.value.float_value IS NULL
              THEN TO_JSON(p.value.float_value)
              ELSE JSON 'null'
            END
          FROM UNNEST(`event_params`) AS p
          WHERE
            p.key = 'shipping'
          LIMIT 1
        ),
        '$."country"'
      )
      WHEN 's10'
      THEN JSON_QUERY(
        (
          SELECT
            CASE
              WHEN NOT p.value.string_value IS NULL
              THEN TO_JSON(p.value.string_value)
              WHEN NOT p.value.int_value IS NULL
              THEN TO_JSON(p.value.int_value)
              WHEN NOT p.value.double_value IS NULL
              THEN TO_JSON(p.value.double_value)
              WHEN NOT p.value.float_value IS NULL
              THEN TO_JSON(p.value.float_value)
              ELSE JSON 'null'
            END
          FROM UNNEST(`event_params`) AS p
          WHERE
            p.key = 'shipping'
          LIMIT 1
        ),
        '$."express"'
      )
      WHEN 's11'
      THEN (
        SELECT
          CASE
            WHEN NOT p.value.string_value IS NULL
            THEN TO_JSON(p.value.string_value)
            WHEN NOT p.value.int_value IS NULL
            THEN TO_JSON(p.value.int_value)
            WHEN NOT p.value.double_value IS NULL
            THEN TO_JSON(p.value.double_value)
            WHEN NOT p.value.float_value IS NULL
            THEN TO_JSON(p.value.float_value)
            ELSE JSON 'null'
          END
        FROM UNNEST(`event_params`) AS p
        WHERE
          p.key = 'products'
        LIMIT 1
      )
      WHEN 's12'
      THEN (
        SELECT
          CASE
            WHEN NOT p.value.string_value IS NULL
            THEN TO_JSON(p.value.string_value)
            WHEN NOT p.value.int_value IS NULL
            THEN TO_JSON(p.value.int_value)
            WHEN NOT p.value.double_value IS NULL
            THEN TO_JSON(p.value.double_value)
            WHEN NOT p.value.float_value IS NULL
            THEN TO_JSON(p.value.float_value)
            ELSE JSON 'null'
          END
        FROM UNNEST(`event_params`) AS p
        WHERE
          p.key = 'code'
        LIMIT 1
      )
      WHEN 's13'
      THEN (
        SELECT
          CASE
            WHEN NOT p.value.string_value IS NULL
            THEN TO_JSON(p.value.string_value)
            WHEN NOT p.value.int_value IS NULL
            THEN TO_JSON(p.value.int_value)
            WHEN NOT p.value.double_value IS NULL
            THEN TO_JSON(p.value.double_value)
            WHEN NOT p.value.float_value IS NULL
            THEN TO_JSON(p.value.float_value)
            ELSE JSON 'null'
          END
        FROM UNNEST(`event_params`) AS p
        WHERE
          p.key = 'balance'
        LIMIT 1
      )
    END AS sample_value,
    CASE `r`.`rule_sample`
      WHEN 's14'
      THEN `tp_platform`
      WHEN 's15'
      THEN '(missing)'
      WHEN 's16'
      THEN SUBSTRING(
        COALESCE(
          ARRAY_TO_STRING(
            ARRAY(
              SELECT
                k
              FROM UNNEST(JSON_KEYS(
                CASE
                  WHEN JSON_TYPE(
                    (
                      SELECT
                        CASE
                          WHEN NOT p.value.string_value IS NULL
                          THEN TO_JSON(p.value.string_value)
                          WHEN NOT p.value.int_value IS NULL
                          THEN TO_JSON(p.value.int_value)
                          WHEN NOT p.value.double_value IS NULL
                          THEN TO_JSON(p.value.double_value)
                          WHEN NOT p.value.float_value IS NULL
                          THEN TO_JSON(p.value.float_value)
                          ELSE JSON 'null'
                        END
                      FROM UNNEST(`event_params`) AS p
                      WHERE
                        p.key = 'shipping'
                      LIMIT 1
                    )
                  ) IN ('object')
                  THEN (
                    SELECT
                      CASE
                        WHEN NOT p.value.string_value IS NULL
                        THEN TO_JSON(p.value.string_value)
                        WHEN NOT p.value.int_value IS NULL
                        THEN TO_JSON(p.value.int_value)
                        WHEN NOT p.value.double_value IS NULL
                        THEN TO_JSON(p.value.double_value)
                        WHEN NOT p.value.float_value IS NULL
                        THEN TO_JSON(p.value.float_value)
                        ELSE JSON 'null'
                      END
                    FROM UNNEST(`event_params`) AS p
                    WHERE
                      p.key = 'shipping'
                    LIMIT 1
                  )
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
      WHEN 's17'
      THEN SUBSTRING(
        COALESCE(
          ARRAY_TO_STRING(
            ARRAY(
              SELECT
                p.key
              FROM UNNEST(`event_params`) AS p
              WHERE
                NOT p.key IN UNNEST([
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
      WHEN 's18'
      THEN 'send Order Completed instead'
      WHEN 's19'
      THEN SUBSTRING(
        COALESCE(
          ARRAY_TO_STRING(
            ARRAY(
              SELECT
                p.key
              FROM UNNEST(`event_params`) AS p
              WHERE
                NOT p.key IN UNNEST(['code'])
            ),
            ', '
          ),
          ''
        ),
        1,
        60
      )
      WHEN 's20'
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
