WITH source AS (
  SELECT
    *,
    CASE
      WHEN LOWER(COALESCE("type", 'track')) IN ('track', 'identify', 'page', 'screen', 'group', 'alias')
      THEN LOWER(COALESCE("type", 'track'))
      ELSE 'track'
    END AS tp_kind,
    CASE
      WHEN CASE
        WHEN LOWER(COALESCE("type", 'track')) IN ('track', 'identify', 'page', 'screen', 'group', 'alias')
        THEN LOWER(COALESCE("type", 'track'))
        ELSE 'track'
      END IN ('identify', 'group', 'alias')
      THEN CASE
        WHEN LOWER(COALESCE("type", 'track')) IN ('track', 'identify', 'page', 'screen', 'group', 'alias')
        THEN LOWER(COALESCE("type", 'track'))
        ELSE 'track'
      END
      WHEN CASE
        WHEN LOWER(COALESCE("type", 'track')) IN ('track', 'identify', 'page', 'screen', 'group', 'alias')
        THEN LOWER(COALESCE("type", 'track'))
        ELSE 'track'
      END IN ('page', 'screen')
      THEN CASE
        WHEN LOWER(COALESCE("type", 'track')) IN ('track', 'identify', 'page', 'screen', 'group', 'alias')
        THEN LOWER(COALESCE("type", 'track'))
        ELSE 'track'
      END || ' ' || COALESCE(NULLIF((
        "properties" -> '$."name"'
      ) ->> '$', ''), '(unnamed)')
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
    COALESCE(
      "traits",
      CASE
        WHEN CASE
          WHEN LOWER(COALESCE("type", 'track')) IN ('track', 'identify', 'page', 'screen', 'group', 'alias')
          THEN LOWER(COALESCE("type", 'track'))
          ELSE 'track'
        END = 'identify'
        THEN "context" -> '$."traits"'
      END
    ) AS tp_traits,
    tp_props AS tp_doc_props
  FROM analytics.tracks
), rules AS (
  SELECT
    CAST(scope AS TEXT) AS scope,
    CAST(node_id AS BIGINT) AS node_id,
    CAST(parent_id AS BIGINT) AS parent_id,
    COALESCE(CAST(prop_key AS TEXT), '') AS prop_key,
    COALESCE(CAST(label AS TEXT), '') AS label,
    CAST(check_id AS TEXT) AS check_id,
    CAST(argument AS TEXT) AS argument,
    CAST(num_arg AS DOUBLE) AS num_arg,
    CAST(pii AS BIGINT) AS pii
  FROM (VALUES
    ('track', -1, 0, 'Order Completed', '', 'event', NULL, NULL, 0),
    ('track', -1, 0, 'Order Completed', '', 'closed', NULL, NULL, 0),
    ('track', -1, 0, 'Order Completed', '', 'platform', 'backend', NULL, 0),
    ('track', -2, 0, 'Coupon Entered', '', 'event', NULL, NULL, 0),
    ('track', -2, 0, 'Coupon Entered', '', 'closed', NULL, NULL, 0),
    (
      'track',
      -2,
      0,
      'Coupon Entered',
      '',
      'deprecated-event',
      'send Order Completed instead',
      NULL,
      0
    ),
    ('track', -3, 0, 'Wallet Opened', '', 'event', NULL, NULL, 0),
    ('track', -3, 0, 'Wallet Opened', '', 'draft-event', 'draft', NULL, 0),
    ('track', -3, 0, 'Wallet Opened', '', 'platform', 'ios', NULL, 0),
    ('identify', -4, 0, 'identify', '', 'event', NULL, NULL, 0),
    ('track', 1, -1, 'order_id', 'order_id', 'property', '|string|', NULL, 0),
    ('track', 1, -1, 'order_id', 'order_id', 'required', NULL, NULL, 0),
    ('track', 1, -1, 'order_id', 'order_id', 'pattern', '^o-[0-9]+$', NULL, 0),
    ('track', 2, -1, 'revenue', 'revenue', 'property', '|integer|number|', NULL, 0),
    ('track', 2, -1, 'revenue', 'revenue', 'required', NULL, NULL, 0),
    ('track', 2, -1, 'revenue', 'revenue', 'minimum', NULL, 0.0, 0),
    ('track', 2, -1, 'revenue', 'revenue', 'exclusive_maximum', NULL, 100000.0, 0),
    ('track', 3, -1, 'quantity', 'quantity', 'property', '|integer|', NULL, 0),
    ('track', 3, -1, 'quantity', 'quantity', 'minimum', NULL, 1.0, 0),
    ('track', 4, -1, 'coupon', 'coupon', 'property', '|string|null|', NULL, 0),
    ('track', 4, -1, 'coupon', 'coupon', 'max_length', NULL, 20.0, 0),
    ('track', 5, -1, 'gift', 'gift', 'property', '|boolean|', NULL, 0),
    ('track', 5, -1, 'gift', 'gift', 'enum-boolean', 'false', NULL, 0),
    ('track', 6, -1, 'rating', 'rating', 'property', '|integer|number|', NULL, 0),
    ('track', 6, -1, 'rating', 'rating', 'enum-number', NULL, 1.0, 0),
    ('track', 6, -1, 'rating', 'rating', 'enum-number', NULL, 2.0, 0),
    ('track', 6, -1, 'rating', 'rating', 'enum-number', NULL, 3.0, 0),
    ('track', 6, -1, 'rating', 'rating', 'enum-number', NULL, 4.5, 0),
    ('track', 7, -1, 'card_holder', 'card_holder', 'property', '|string|', NULL, 1),
    ('track', 7, -1, 'card_holder', 'card_holder', 'min_length', NULL, 2.0, 1),
    ('track', 8, -1, 'shipping', 'shipping', 'property', '|object|', NULL, 0),
    ('track', 8, -1, 'shipping', 'shipping', 'closed', NULL, NULL, 0),
    ('track', 8, -1, 'shipping', 'shipping', 'object', NULL, NULL, 0),
    ('track', 9, 8, 'country', 'shipping.country', 'property', '|string|', NULL, 0),
    ('track', 9, 8, 'country', 'shipping.country', 'required', NULL, NULL, 0),
    ('track', 9, 8, 'country', 'shipping.country', 'pattern', '^[A-Z]{2}$', NULL, 0),
    ('track', 10, 8, 'express', 'shipping.express', 'property', '|boolean|', NULL, 0),
    ('track', 11, -1, 'products', 'products', 'property', '|array|', NULL, 0),
    ('track', 11, -1, 'products', 'products', 'list', NULL, NULL, 0),
    ('track', 11, -1, 'products', 'products', 'min_items', NULL, 1.0, 0),
    ('track', 11, -1, 'products', 'products', 'max_items', NULL, 50.0, 0),
    ('track', 12, 11, '[]', 'products[]', 'property', '|object|', NULL, 0),
    ('track', 12, 11, '[]', 'products[]', 'closed', NULL, NULL, 0),
    ('track', 12, 11, '[]', 'products[]', 'object', NULL, NULL, 0),
    ('track', 13, 12, 'sku', 'products[].sku', 'property', '|string|', NULL, 0),
    ('track', 13, 12, 'sku', 'products[].sku', 'required', NULL, NULL, 0),
    (
      'track',
      14,
      12,
      'price',
      'products[].price',
      'property',
      '|integer|number|',
      NULL,
      0
    ),
    ('track', 14, 12, 'price', 'products[].price', 'minimum', NULL, 0.0, 0),
    ('track', 15, -2, 'code', 'code', 'property', '|string|', NULL, 0),
    ('track', 16, -3, 'balance', 'balance', 'property', '', NULL, 0),
    ('identify', 17, -4, 'email', 'email', 'property', '|string|', NULL, 1),
    ('identify', 17, -4, 'email', 'email', 'required', NULL, NULL, 1),
    (
      'identify',
      17,
      -4,
      'email',
      'email',
      'format',
      '^([^@\s]+@[^@\s]+\.[^@\s]+)$',
      NULL,
      1
    ),
    ('identify', 18, -4, 'plan_tier', 'plan_tier', 'property', '|string|', NULL, 0),
    ('identify', 18, -4, 'plan_tier', 'plan_tier', 'enum', 'free', NULL, 0),
    ('identify', 18, -4, 'plan_tier', 'plan_tier', 'enum', 'pro', NULL, 0)) AS r(scope, node_id, parent_id, prop_key, label, check_id, argument, num_arg, pii)
), nodes AS (
  SELECT
    node_id,
    MAX(parent_id) AS parent_id,
    MAX(scope) AS scope,
    MAX(prop_key) AS prop_key,
    MAX(label) AS label,
    MAX(pii) AS pii,
    1 AS defined,
    MAX(CASE WHEN check_id IN ('event', 'property') THEN COALESCE(argument, '') END) AS kinds,
    MAX(CASE WHEN check_id = 'closed' THEN 1 ELSE 0 END) AS closed,
    MAX(CASE WHEN check_id IN ('enum', 'enum-boolean', 'enum-number') THEN 1 ELSE 0 END) AS has_enum,
    MAX(CASE WHEN check_id = 'pattern' THEN COALESCE(argument, '') END) AS pattern,
    MAX(CASE WHEN check_id = 'format' THEN argument END) AS format_re,
    MAX(CASE WHEN check_id = 'minimum' THEN num_arg END) AS minimum,
    MAX(CASE WHEN check_id = 'maximum' THEN num_arg END) AS maximum,
    MAX(CASE WHEN check_id = 'exclusive_minimum' THEN num_arg END) AS exclusive_minimum,
    MAX(CASE WHEN check_id = 'exclusive_maximum' THEN num_arg END) AS exclusive_maximum,
    MAX(CASE WHEN check_id = 'min_length' THEN num_arg END) AS min_length,
    MAX(CASE WHEN check_id = 'max_length' THEN num_arg END) AS max_length,
    MAX(CASE WHEN check_id = 'min_items' THEN num_arg END) AS min_items,
    MAX(CASE WHEN check_id = 'max_items' THEN num_arg END) AS max_items,
    MAX(CASE WHEN check_id = 'platform' THEN 1 ELSE 0 END) AS has_platforms,
    MAX(CASE WHEN check_id = 'object' THEN 1 ELSE 0 END) AS has_props,
    MAX(CASE WHEN check_id = 'list' THEN 1 ELSE 0 END) AS has_items,
    MAX(CASE WHEN check_id IN ('draft-event', 'deprecated-event') THEN check_id END) AS status,
    MAX(CASE WHEN check_id IN ('draft-event', 'deprecated-event') THEN argument END) AS status_sample
  FROM rules
  GROUP BY
    node_id
), check_names AS (
  SELECT
    'unplanned-property' AS name
  UNION ALL
  SELECT
    'wrong-type' AS name
  UNION ALL
  SELECT
    'enum' AS name
  UNION ALL
  SELECT
    'pattern' AS name
  UNION ALL
  SELECT
    'format' AS name
  UNION ALL
  SELECT
    'range' AS name
  UNION ALL
  SELECT
    'length' AS name
  UNION ALL
  SELECT
    'items' AS name
), messages AS (
  SELECT
    tp_event,
    tp_ts,
    tp_platform,
    tp_scope,
    tp_doc,
    tp_print || '#' || CAST(ROW_NUMBER() OVER (PARTITION BY tp_print ORDER BY tp_print NULLS FIRST) AS TEXT) AS tp_row
  FROM (
    SELECT
      *,
      MD5(
        tp_scope || '|' || COALESCE(tp_event, '') || '|' || COALESCE(tp_platform, '') || '|' || COALESCE(CAST(tp_ts AS TEXT), '') || '|' || COALESCE(CAST(tp_doc AS TEXT), '')
      ) AS tp_print
    FROM (
      SELECT
        tp_event,
        tp_ts,
        tp_platform,
        tp_kind AS tp_scope,
        CASE WHEN tp_kind IN ('identify', 'group') THEN tp_traits ELSE tp_doc_props END AS tp_doc
      FROM source
    ) AS m
  ) AS f
), planned AS (
  SELECT
    m.tp_row,
    m.tp_event,
    m.tp_ts,
    m.tp_platform,
    m.tp_scope,
    m.tp_doc,
    COALESCE(e.defined, 0) AS planned,
    e.node_id AS root,
    COALESCE(e.closed, 0) AS root_closed,
    e.status,
    e.status_sample,
    COALESCE(e.has_platforms, 0) AS has_platforms,
    COALESCE(p.hit, 0) AS platform_ok
  FROM messages AS m
  LEFT JOIN (
    SELECT
      *
    FROM nodes
    WHERE
      parent_id = 0
  ) AS e
    ON e.scope = m.tp_scope AND e.prop_key = m.tp_event
  LEFT JOIN (
    SELECT
      node_id AS holder,
      COALESCE(argument, '') AS platform,
      1 AS hit
    FROM rules
    WHERE
      check_id = 'platform'
    GROUP BY
      node_id,
      COALESCE(argument, '')
  ) AS p
    ON p.holder = e.node_id AND p.platform = m.tp_platform
), message_checks AS (
  SELECT
    tp_row,
    tp_event,
    check_id,
    CAST(NULL AS TEXT) AS property,
    tp_sample,
    tp_ts
  FROM (
    SELECT
      tp_row,
      tp_event,
      CASE k.name
        WHEN 'message'
        THEN '(message)'
        WHEN 'event'
        THEN 'unplanned-event'
        WHEN 'status'
        THEN status
        ELSE 'unplanned-platform'
      END AS check_id,
      CASE k.name
        WHEN 'event'
        THEN 'not in the plan'
        WHEN 'status'
        THEN status_sample
        WHEN 'platform'
        THEN tp_platform
      END AS tp_sample,
      CASE WHEN k.name = 'message' THEN tp_ts END AS tp_ts,
      CASE k.name
        WHEN 'message'
        THEN 1
        WHEN 'event'
        THEN CASE WHEN planned = 0 AND tp_scope <> 'identify' THEN 1 ELSE 0 END
        WHEN 'status'
        THEN CASE WHEN planned = 1 AND NOT status IS NULL AND status <> '' THEN 1 ELSE 0 END
        ELSE CASE
          WHEN planned = 1 AND has_platforms = 1 AND NOT tp_platform IS NULL AND platform_ok = 0
          THEN 1
          ELSE 0
        END
      END AS broken
    FROM planned
    CROSS JOIN (
      SELECT
        'message' AS name
      UNION ALL
      SELECT
        'event' AS name
      UNION ALL
      SELECT
        'status' AS name
      UNION ALL
      SELECT
        'platform' AS name
    ) AS k
  ) AS c
  WHERE
    broken = 1
), holders_0 AS (
  SELECT
    tp_row,
    tp_event,
    root AS node_id,
    '' AS label,
    root_closed AS closed,
    'object' AS vkind,
    CASE
      WHEN CASE
        WHEN JSON_TYPE(tp_doc) IN ('VARCHAR')
        THEN 'string'
        WHEN JSON_TYPE(tp_doc) IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE')
        THEN CASE
          WHEN FLOOR(TRY_CAST(tp_doc ->> '$' AS DOUBLE)) = TRY_CAST(tp_doc ->> '$' AS DOUBLE)
          AND TRY_CAST(tp_doc ->> '$' AS DOUBLE) - TRY_CAST(tp_doc ->> '$' AS DOUBLE) = 0
          THEN 'integer'
          ELSE 'number'
        END
        WHEN JSON_TYPE(tp_doc) IN ('BOOLEAN')
        THEN 'boolean'
        WHEN JSON_TYPE(tp_doc) IN ('OBJECT')
        THEN 'object'
        WHEN JSON_TYPE(tp_doc) IN ('ARRAY')
        THEN 'array'
        WHEN JSON_TYPE(tp_doc) IN ('NULL')
        THEN 'null'
      END = 'object'
      THEN tp_doc
      ELSE CAST('{}' AS JSON)
    END AS val
  FROM planned
  WHERE
    planned = 1
), kids_1 AS (
  SELECT
    i.*,
    CASE WHEN i.vkind = 'array' THEN '[]' ELSE e.key END AS ckey,
    e.value AS cval
  FROM holders_0 AS i, JSON_EACH(i.val) AS e
), values_1 AS (
  SELECT
    k.tp_row AS tp_row,
    k.tp_event AS tp_event,
    k.label AS plabel,
    k.closed AS pclosed,
    k.ckey AS ckey,
    k.cval AS cval,
    k.kind AS kind,
    k.text AS text,
    k.num AS num,
    COALESCE(t.defined, 0) AS defined,
    CASE WHEN COALESCE(t.defined, 0) = 1 AND t.label <> '' THEN t.label ELSE k.path END AS label,
    t.node_id AS node_id,
    t.scope AS scope,
    t.pii AS pii,
    t.kinds AS kinds,
    t.closed AS closed,
    t.has_enum AS has_enum,
    t.pattern AS pattern,
    t.format_re AS format_re,
    t.minimum AS minimum,
    t.maximum AS maximum,
    t.exclusive_minimum AS exclusive_minimum,
    t.exclusive_maximum AS exclusive_maximum,
    t.min_length AS min_length,
    t.max_length AS max_length,
    t.min_items AS min_items,
    t.max_items AS max_items,
    t.has_props AS has_props,
    t.has_items AS has_items,
    COALESCE(e.hit, 0) AS enum_hit
  FROM (
    SELECT
      y.*,
      CASE WHEN COALESCE(z.listed, 0) = 1 THEN y.ckey ELSE '*' END AS lookup
    FROM (
      SELECT
        x.*,
        CASE x.kind
          WHEN 'string'
          THEN 'enum'
          WHEN 'boolean'
          THEN 'enum-boolean'
          WHEN 'integer'
          THEN 'enum-number'
          WHEN 'number'
          THEN 'enum-number'
        END AS enum_check,
        CASE x.kind
          WHEN 'string'
          THEN x.text
          WHEN 'boolean'
          THEN LOWER(CAST(x.cval AS TEXT))
          ELSE ''
        END AS enum_text,
        COALESCE(x.num, 0) AS enum_num,
        CASE
          WHEN x.label = ''
          THEN x.ckey
          WHEN x.ckey = '[]'
          THEN x.label || '[]'
          ELSE x.label || '.' || x.ckey
        END AS path
      FROM (
        SELECT
          w.*,
          CASE WHEN w.kind = 'string' THEN w.cval ->> '$' END AS text,
          CASE
            WHEN w.kind IN ('integer', 'number')
            THEN TRY_CAST(w.cval ->> '$' AS DOUBLE)
          END AS num
        FROM (
          SELECT
            c.tp_row,
            c.tp_event,
            c.node_id AS holder,
            c.label,
            c.closed,
            c.ckey,
            c.cval,
            CASE
              WHEN JSON_TYPE(c.cval) IN ('VARCHAR')
              THEN 'string'
              WHEN JSON_TYPE(c.cval) IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE')
              THEN CASE
                WHEN FLOOR(TRY_CAST(c.cval ->> '$' AS DOUBLE)) = TRY_CAST(c.cval ->> '$' AS DOUBLE)
                AND TRY_CAST(c.cval ->> '$' AS DOUBLE) - TRY_CAST(c.cval ->> '$' AS DOUBLE) = 0
                THEN 'integer'
                ELSE 'number'
              END
              WHEN JSON_TYPE(c.cval) IN ('BOOLEAN')
              THEN 'boolean'
              WHEN JSON_TYPE(c.cval) IN ('OBJECT')
              THEN 'object'
              WHEN JSON_TYPE(c.cval) IN ('ARRAY')
              THEN 'array'
              WHEN JSON_TYPE(c.cval) IN ('NULL')
              THEN 'null'
            END AS kind
          FROM kids_1 AS c
        ) AS w
      ) AS x
    ) AS y
    LEFT JOIN (
      SELECT
        parent_id,
        prop_key,
        1 AS listed
      FROM nodes
      WHERE
        prop_key <> '*'
    ) AS z
      ON z.parent_id = y.holder AND z.prop_key = y.ckey
  ) AS k
  LEFT JOIN nodes AS t
    ON t.parent_id = k.holder AND t.prop_key = k.lookup
  LEFT JOIN (
    SELECT
      parent_id,
      prop_key,
      check_id,
      COALESCE(argument, '') AS value,
      COALESCE(num_arg, 0) AS number,
      1 AS hit
    FROM rules
    WHERE
      check_id IN ('enum', 'enum-boolean', 'enum-number')
    GROUP BY
      parent_id,
      prop_key,
      check_id,
      COALESCE(argument, ''),
      COALESCE(num_arg, 0)
  ) AS e
    ON e.parent_id = k.holder
    AND e.prop_key = k.lookup
    AND e.check_id = k.enum_check
    AND e.value = k.enum_text
    AND e.number = k.enum_num
), flags_1 AS (
  SELECT
    v.*,
    CASE WHEN v.defined = 0 AND v.pclosed = 1 AND v.ckey <> '[]' THEN 1 ELSE 0 END AS f_unplanned,
    CASE WHEN v.defined = 1 AND v.typed = 0 THEN 1 ELSE 0 END AS f_type,
    CASE
      WHEN v.defined = 1
      AND v.typed = 1
      AND v.has_enum = 1
      AND v.kind <> 'null'
      AND v.enum_hit = 0
      THEN 1
      ELSE 0
    END AS f_enum,
    CASE
      WHEN v.defined = 1
      AND v.typed = 1
      AND v.kind = 'string'
      AND NOT v.pattern IS NULL
      AND NOT REGEXP_MATCHES(v.text, v.pattern)
      THEN 1
      ELSE 0
    END AS f_pattern,
    CASE
      WHEN v.defined = 1
      AND v.typed = 1
      AND v.kind = 'string'
      AND NOT v.format_re IS NULL
      AND NOT REGEXP_MATCHES(v.text, v.format_re)
      THEN 1
      ELSE 0
    END AS f_format,
    CASE
      WHEN v.defined = 1
      AND v.typed = 1
      AND v.kind IN ('integer', 'number')
      AND (
        v.num < v.minimum
        OR v.num > v.maximum
        OR v.num <= v.exclusive_minimum
        OR v.num >= v.exclusive_maximum
      )
      THEN 1
      ELSE 0
    END AS f_range,
    CASE
      WHEN v.defined = 1
      AND v.typed = 1
      AND v.kind = 'string'
      AND (
        LENGTH(v.text) < v.min_length OR LENGTH(v.text) > v.max_length
      )
      THEN 1
      ELSE 0
    END AS f_length,
    CASE
      WHEN v.defined = 1
      AND v.typed = 1
      AND v.kind = 'array'
      AND (
        JSON_ARRAY_LENGTH(v.cval) < v.min_items
        OR JSON_ARRAY_LENGTH(v.cval) > v.max_items
      )
      THEN 1
      ELSE 0
    END AS f_items
  FROM (
    SELECT
      w.*,
      CASE
        WHEN w.kinds = '' OR STRPOS(w.kinds, '|' || w.kind || '|') > 0
        THEN 1
        ELSE 0
      END AS typed
    FROM values_1 AS w
  ) AS v
), found_1 AS (
  SELECT
    f.tp_row,
    f.tp_event,
    CASE
      WHEN c.name <> 'unplanned-property' AND f.scope IN ('identify', 'group')
      THEN 'trait'
      ELSE c.name
    END AS check_id,
    f.label AS property,
    CASE
      WHEN c.name = 'items'
      THEN 'list of ' || CAST(JSON_ARRAY_LENGTH(f.cval) AS TEXT) || ' items'
      WHEN f.pii = 1 OR c.name = 'unplanned-property'
      THEN f.kind || ' of length ' || CAST(LENGTH(COALESCE(f.text, CAST(f.cval AS TEXT))) AS TEXT)
      WHEN c.name = 'wrong-type'
      THEN f.kind || ': ' || SUBSTRING(CAST(f.cval AS TEXT), 1, 60)
      WHEN f.kind = 'string'
      THEN SUBSTRING(f.text, 1, 60)
      ELSE SUBSTRING(CAST(f.cval AS TEXT), 1, 60)
    END AS tp_sample
  FROM flags_1 AS f
  CROSS JOIN check_names AS c
  WHERE
    f.f_unplanned + f.f_type + f.f_enum + f.f_pattern + f.f_format + f.f_range + f.f_length + f.f_items > 0
    AND CASE c.name
      WHEN 'unplanned-property'
      THEN f.f_unplanned
      WHEN 'wrong-type'
      THEN f.f_type
      WHEN 'enum'
      THEN f.f_enum
      WHEN 'pattern'
      THEN f.f_pattern
      WHEN 'format'
      THEN f.f_format
      WHEN 'range'
      THEN f.f_range
      WHEN 'length'
      THEN f.f_length
      ELSE f.f_items
    END = 1
), missing_1 AS (
  SELECT
    i.tp_row,
    i.tp_event,
    CASE
      WHEN r.scope IN ('identify', 'group')
      THEN 'missing-trait'
      ELSE 'missing-property'
    END AS check_id,
    CASE
      WHEN r.label <> ''
      THEN r.label
      WHEN i.label = ''
      THEN r.prop_key
      ELSE i.label || '.' || r.prop_key
    END AS property,
    '(missing)' AS tp_sample
  FROM holders_0 AS i
  JOIN (
    SELECT
      parent_id,
      prop_key,
      label,
      scope
    FROM rules
    WHERE
      check_id = 'required'
  ) AS r
    ON r.parent_id = i.node_id
  WHERE
    i.vkind = 'object' AND NOT ARRAY_CONTAINS(JSON_KEYS(i.val), r.prop_key)
), holders_1 AS (
  SELECT
    tp_row,
    tp_event,
    node_id,
    label,
    closed,
    kind AS vkind,
    cval AS val
  FROM flags_1 AS level_flags
  WHERE
    defined = 1
    AND (
      (
        kind = 'object' AND has_props = 1
      ) OR (
        kind = 'array' AND has_items = 1
      )
    )
), kids_2 AS (
  SELECT
    i.*,
    CASE WHEN i.vkind = 'array' THEN '[]' ELSE e.key END AS ckey,
    e.value AS cval
  FROM holders_1 AS i, JSON_EACH(i.val) AS e
), values_2 AS (
  SELECT
    k.tp_row AS tp_row,
    k.tp_event AS tp_event,
    k.label AS plabel,
    k.closed AS pclosed,
    k.ckey AS ckey,
    k.cval AS cval,
    k.kind AS kind,
    k.text AS text,
    k.num AS num,
    COALESCE(t.defined, 0) AS defined,
    CASE WHEN COALESCE(t.defined, 0) = 1 AND t.label <> '' THEN t.label ELSE k.path END AS label,
    t.node_id AS node_id,
    t.scope AS scope,
    t.pii AS pii,
    t.kinds AS kinds,
    t.closed AS closed,
    t.has_enum AS has_enum,
    t.pattern AS pattern,
    t.format_re AS format_re,
    t.minimum AS minimum,
    t.maximum AS maximum,
    t.exclusive_minimum AS exclusive_minimum,
    t.exclusive_maximum AS exclusive_maximum,
    t.min_length AS min_length,
    t.max_length AS max_length,
    t.min_items AS min_items,
    t.max_items AS max_items,
    t.has_props AS has_props,
    t.has_items AS has_items,
    COALESCE(e.hit, 0) AS enum_hit
  FROM (
    SELECT
      y.*,
      CASE WHEN COALESCE(z.listed, 0) = 1 THEN y.ckey ELSE '*' END AS lookup
    FROM (
      SELECT
        x.*,
        CASE x.kind
          WHEN 'string'
          THEN 'enum'
          WHEN 'boolean'
          THEN 'enum-boolean'
          WHEN 'integer'
          THEN 'enum-number'
          WHEN 'number'
          THEN 'enum-number'
        END AS enum_check,
        CASE x.kind
          WHEN 'string'
          THEN x.text
          WHEN 'boolean'
          THEN LOWER(CAST(x.cval AS TEXT))
          ELSE ''
        END AS enum_text,
        COALESCE(x.num, 0) AS enum_num,
        CASE
          WHEN x.label = ''
          THEN x.ckey
          WHEN x.ckey = '[]'
          THEN x.label || '[]'
          ELSE x.label || '.' || x.ckey
        END AS path
      FROM (
        SELECT
          w.*,
          CASE WHEN w.kind = 'string' THEN w.cval ->> '$' END AS text,
          CASE
            WHEN w.kind IN ('integer', 'number')
            THEN TRY_CAST(w.cval ->> '$' AS DOUBLE)
          END AS num
        FROM (
          SELECT
            c.tp_row,
            c.tp_event,
            c.node_id AS holder,
            c.label,
            c.closed,
            c.ckey,
            c.cval,
            CASE
              WHEN JSON_TYPE(c.cval) IN ('VARCHAR')
              THEN 'string'
              WHEN JSON_TYPE(c.cval) IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE')
              THEN CASE
                WHEN FLOOR(TRY_CAST(c.cval ->> '$' AS DOUBLE)) = TRY_CAST(c.cval ->> '$' AS DOUBLE)
                AND TRY_CAST(c.cval ->> '$' AS DOUBLE) - TRY_CAST(c.cval ->> '$' AS DOUBLE) = 0
                THEN 'integer'
                ELSE 'number'
              END
              WHEN JSON_TYPE(c.cval) IN ('BOOLEAN')
              THEN 'boolean'
              WHEN JSON_TYPE(c.cval) IN ('OBJECT')
              THEN 'object'
              WHEN JSON_TYPE(c.cval) IN ('ARRAY')
              THEN 'array'
              WHEN JSON_TYPE(c.cval) IN ('NULL')
              THEN 'null'
            END AS kind
          FROM kids_2 AS c
        ) AS w
      ) AS x
    ) AS y
    LEFT JOIN (
      SELECT
        parent_id,
        prop_key,
        1 AS listed
      FROM nodes
      WHERE
        prop_key <> '*'
    ) AS z
      ON z.parent_id = y.holder AND z.prop_key = y.ckey
  ) AS k
  LEFT JOIN nodes AS t
    ON t.parent_id = k.holder AND t.prop_key = k.lookup
  LEFT JOIN (
    SELECT
      parent_id,
      prop_key,
      check_id,
      COALESCE(argument, '') AS value,
      COALESCE(num_arg, 0) AS number,
      1 AS hit
    FROM rules
    WHERE
      check_id IN ('enum', 'enum-boolean', 'enum-number')
    GROUP BY
      parent_id,
      prop_key,
      check_id,
      COALESCE(argument, ''),
      COALESCE(num_arg, 0)
  ) AS e
    ON e.parent_id = k.holder
    AND e.prop_key = k.lookup
    AND e.check_id = k.enum_check
    AND e.value = k.enum_text
    AND e.number = k.enum_num
), flags_2 AS (
  SELECT
    v.*,
    CASE WHEN v.defined = 0 AND v.pclosed = 1 AND v.ckey <> '[]' THEN 1 ELSE 0 END AS f_unplanned,
    CASE WHEN v.defined = 1 AND v.typed = 0 THEN 1 ELSE 0 END AS f_type,
    CASE
      WHEN v.defined = 1
      AND v.typed = 1
      AND v.has_enum = 1
      AND v.kind <> 'null'
      AND v.enum_hit = 0
      THEN 1
      ELSE 0
    END AS f_enum,
    CASE
      WHEN v.defined = 1
      AND v.typed = 1
      AND v.kind = 'string'
      AND NOT v.pattern IS NULL
      AND NOT REGEXP_MATCHES(v.text, v.pattern)
      THEN 1
      ELSE 0
    END AS f_pattern,
    CASE
      WHEN v.defined = 1
      AND v.typed = 1
      AND v.kind = 'string'
      AND NOT v.format_re IS NULL
      AND NOT REGEXP_MATCHES(v.text, v.format_re)
      THEN 1
      ELSE 0
    END AS f_format,
    CASE
      WHEN v.defined = 1
      AND v.typed = 1
      AND v.kind IN ('integer', 'number')
      AND (
        v.num < v.minimum
        OR v.num > v.maximum
        OR v.num <= v.exclusive_minimum
        OR v.num >= v.exclusive_maximum
      )
      THEN 1
      ELSE 0
    END AS f_range,
    CASE
      WHEN v.defined = 1
      AND v.typed = 1
      AND v.kind = 'string'
      AND (
        LENGTH(v.text) < v.min_length OR LENGTH(v.text) > v.max_length
      )
      THEN 1
      ELSE 0
    END AS f_length,
    CASE
      WHEN v.defined = 1
      AND v.typed = 1
      AND v.kind = 'array'
      AND (
        JSON_ARRAY_LENGTH(v.cval) < v.min_items
        OR JSON_ARRAY_LENGTH(v.cval) > v.max_items
      )
      THEN 1
      ELSE 0
    END AS f_items
  FROM (
    SELECT
      w.*,
      CASE
        WHEN w.kinds = '' OR STRPOS(w.kinds, '|' || w.kind || '|') > 0
        THEN 1
        ELSE 0
      END AS typed
    FROM values_2 AS w
  ) AS v
), found_2 AS (
  SELECT
    f.tp_row,
    f.tp_event,
    CASE
      WHEN c.name <> 'unplanned-property' AND f.scope IN ('identify', 'group')
      THEN 'trait'
      ELSE c.name
    END AS check_id,
    f.label AS property,
    CASE
      WHEN c.name = 'items'
      THEN 'list of ' || CAST(JSON_ARRAY_LENGTH(f.cval) AS TEXT) || ' items'
      WHEN f.pii = 1 OR c.name = 'unplanned-property'
      THEN f.kind || ' of length ' || CAST(LENGTH(COALESCE(f.text, CAST(f.cval AS TEXT))) AS TEXT)
      WHEN c.name = 'wrong-type'
      THEN f.kind || ': ' || SUBSTRING(CAST(f.cval AS TEXT), 1, 60)
      WHEN f.kind = 'string'
      THEN SUBSTRING(f.text, 1, 60)
      ELSE SUBSTRING(CAST(f.cval AS TEXT), 1, 60)
    END AS tp_sample
  FROM flags_2 AS f
  CROSS JOIN check_names AS c
  WHERE
    f.f_unplanned + f.f_type + f.f_enum + f.f_pattern + f.f_format + f.f_range + f.f_length + f.f_items > 0
    AND CASE c.name
      WHEN 'unplanned-property'
      THEN f.f_unplanned
      WHEN 'wrong-type'
      THEN f.f_type
      WHEN 'enum'
      THEN f.f_enum
      WHEN 'pattern'
      THEN f.f_pattern
      WHEN 'format'
      THEN f.f_format
      WHEN 'range'
      THEN f.f_range
      WHEN 'length'
      THEN f.f_length
      ELSE f.f_items
    END = 1
), missing_2 AS (
  SELECT
    i.tp_row,
    i.tp_event,
    CASE
      WHEN r.scope IN ('identify', 'group')
      THEN 'missing-trait'
      ELSE 'missing-property'
    END AS check_id,
    CASE
      WHEN r.label <> ''
      THEN r.label
      WHEN i.label = ''
      THEN r.prop_key
      ELSE i.label || '.' || r.prop_key
    END AS property,
    '(missing)' AS tp_sample
  FROM holders_1 AS i
  JOIN (
    SELECT
      parent_id,
      prop_key,
      label,
      scope
    FROM rules
    WHERE
      check_id = 'required'
  ) AS r
    ON r.parent_id = i.node_id
  WHERE
    i.vkind = 'object' AND NOT ARRAY_CONTAINS(JSON_KEYS(i.val), r.prop_key)
), holders_2 AS (
  SELECT
    tp_row,
    tp_event,
    node_id,
    label,
    closed,
    kind AS vkind,
    cval AS val
  FROM flags_2 AS level_flags
  WHERE
    defined = 1
    AND (
      (
        kind = 'object' AND has_props = 1
      ) OR (
        kind = 'array' AND has_items = 1
      )
    )
), kids_3 AS (
  SELECT
    i.*,
    CASE WHEN i.vkind = 'array' THEN '[]' ELSE e.key END AS ckey,
    e.value AS cval
  FROM holders_2 AS i, JSON_EACH(i.val) AS e
), values_3 AS (
  SELECT
    k.tp_row AS tp_row,
    k.tp_event AS tp_event,
    k.label AS plabel,
    k.closed AS pclosed,
    k.ckey AS ckey,
    k.cval AS cval,
    k.kind AS kind,
    k.text AS text,
    k.num AS num,
    COALESCE(t.defined, 0) AS defined,
    CASE WHEN COALESCE(t.defined, 0) = 1 AND t.label <> '' THEN t.label ELSE k.path END AS label,
    t.node_id AS node_id,
    t.scope AS scope,
    t.pii AS pii,
    t.kinds AS kinds,
    t.closed AS closed,
    t.has_enum AS has_enum,
    t.pattern AS pattern,
    t.format_re AS format_re,
    t.minimum AS minimum,
    t.maximum AS maximum,
    t.exclusive_minimum AS exclusive_minimum,
    t.exclusive_maximum AS exclusive_maximum,
    t.min_length AS min_length,
    t.max_length AS max_length,
    t.min_items AS min_items,
    t.max_items AS max_items,
    t.has_props AS has_props,
    t.has_items AS has_items,
    COALESCE(e.hit, 0) AS enum_hit
  FROM (
    SELECT
      y.*,
      CASE WHEN COALESCE(z.listed, 0) = 1 THEN y.ckey ELSE '*' END AS lookup
    FROM (
      SELECT
        x.*,
        CASE x.kind
          WHEN 'string'
          THEN 'enum'
          WHEN 'boolean'
          THEN 'enum-boolean'
          WHEN 'integer'
          THEN 'enum-number'
          WHEN 'number'
          THEN 'enum-number'
        END AS enum_check,
        CASE x.kind
          WHEN 'string'
          THEN x.text
          WHEN 'boolean'
          THEN LOWER(CAST(x.cval AS TEXT))
          ELSE ''
        END AS enum_text,
        COALESCE(x.num, 0) AS enum_num,
        CASE
          WHEN x.label = ''
          THEN x.ckey
          WHEN x.ckey = '[]'
          THEN x.label || '[]'
          ELSE x.label || '.' || x.ckey
        END AS path
      FROM (
        SELECT
          w.*,
          CASE WHEN w.kind = 'string' THEN w.cval ->> '$' END AS text,
          CASE
            WHEN w.kind IN ('integer', 'number')
            THEN TRY_CAST(w.cval ->> '$' AS DOUBLE)
          END AS num
        FROM (
          SELECT
            c.tp_row,
            c.tp_event,
            c.node_id AS holder,
            c.label,
            c.closed,
            c.ckey,
            c.cval,
            CASE
              WHEN JSON_TYPE(c.cval) IN ('VARCHAR')
              THEN 'string'
              WHEN JSON_TYPE(c.cval) IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE')
              THEN CASE
                WHEN FLOOR(TRY_CAST(c.cval ->> '$' AS DOUBLE)) = TRY_CAST(c.cval ->> '$' AS DOUBLE)
                AND TRY_CAST(c.cval ->> '$' AS DOUBLE) - TRY_CAST(c.cval ->> '$' AS DOUBLE) = 0
                THEN 'integer'
                ELSE 'number'
              END
              WHEN JSON_TYPE(c.cval) IN ('BOOLEAN')
              THEN 'boolean'
              WHEN JSON_TYPE(c.cval) IN ('OBJECT')
              THEN 'object'
              WHEN JSON_TYPE(c.cval) IN ('ARRAY')
              THEN 'array'
              WHEN JSON_TYPE(c.cval) IN ('NULL')
              THEN 'null'
            END AS kind
          FROM kids_3 AS c
        ) AS w
      ) AS x
    ) AS y
    LEFT JOIN (
      SELECT
        parent_id,
        prop_key,
        1 AS listed
      FROM nodes
      WHERE
        prop_key <> '*'
    ) AS z
      ON z.parent_id = y.holder AND z.prop_key = y.ckey
  ) AS k
  LEFT JOIN nodes AS t
    ON t.parent_id = k.holder AND t.prop_key = k.lookup
  LEFT JOIN (
    SELECT
      parent_id,
      prop_key,
      check_id,
      COALESCE(argument, '') AS value,
      COALESCE(num_arg, 0) AS number,
      1 AS hit
    FROM rules
    WHERE
      check_id IN ('enum', 'enum-boolean', 'enum-number')
    GROUP BY
      parent_id,
      prop_key,
      check_id,
      COALESCE(argument, ''),
      COALESCE(num_arg, 0)
  ) AS e
    ON e.parent_id = k.holder
    AND e.prop_key = k.lookup
    AND e.check_id = k.enum_check
    AND e.value = k.enum_text
    AND e.number = k.enum_num
), flags_3 AS (
  SELECT
    v.*,
    CASE WHEN v.defined = 0 AND v.pclosed = 1 AND v.ckey <> '[]' THEN 1 ELSE 0 END AS f_unplanned,
    CASE WHEN v.defined = 1 AND v.typed = 0 THEN 1 ELSE 0 END AS f_type,
    CASE
      WHEN v.defined = 1
      AND v.typed = 1
      AND v.has_enum = 1
      AND v.kind <> 'null'
      AND v.enum_hit = 0
      THEN 1
      ELSE 0
    END AS f_enum,
    CASE
      WHEN v.defined = 1
      AND v.typed = 1
      AND v.kind = 'string'
      AND NOT v.pattern IS NULL
      AND NOT REGEXP_MATCHES(v.text, v.pattern)
      THEN 1
      ELSE 0
    END AS f_pattern,
    CASE
      WHEN v.defined = 1
      AND v.typed = 1
      AND v.kind = 'string'
      AND NOT v.format_re IS NULL
      AND NOT REGEXP_MATCHES(v.text, v.format_re)
      THEN 1
      ELSE 0
    END AS f_format,
    CASE
      WHEN v.defined = 1
      AND v.typed = 1
      AND v.kind IN ('integer', 'number')
      AND (
        v.num < v.minimum
        OR v.num > v.maximum
        OR v.num <= v.exclusive_minimum
        OR v.num >= v.exclusive_maximum
      )
      THEN 1
      ELSE 0
    END AS f_range,
    CASE
      WHEN v.defined = 1
      AND v.typed = 1
      AND v.kind = 'string'
      AND (
        LENGTH(v.text) < v.min_length OR LENGTH(v.text) > v.max_length
      )
      THEN 1
      ELSE 0
    END AS f_length,
    CASE
      WHEN v.defined = 1
      AND v.typed = 1
      AND v.kind = 'array'
      AND (
        JSON_ARRAY_LENGTH(v.cval) < v.min_items
        OR JSON_ARRAY_LENGTH(v.cval) > v.max_items
      )
      THEN 1
      ELSE 0
    END AS f_items
  FROM (
    SELECT
      w.*,
      CASE
        WHEN w.kinds = '' OR STRPOS(w.kinds, '|' || w.kind || '|') > 0
        THEN 1
        ELSE 0
      END AS typed
    FROM values_3 AS w
  ) AS v
), found_3 AS (
  SELECT
    f.tp_row,
    f.tp_event,
    CASE
      WHEN c.name <> 'unplanned-property' AND f.scope IN ('identify', 'group')
      THEN 'trait'
      ELSE c.name
    END AS check_id,
    f.label AS property,
    CASE
      WHEN c.name = 'items'
      THEN 'list of ' || CAST(JSON_ARRAY_LENGTH(f.cval) AS TEXT) || ' items'
      WHEN f.pii = 1 OR c.name = 'unplanned-property'
      THEN f.kind || ' of length ' || CAST(LENGTH(COALESCE(f.text, CAST(f.cval AS TEXT))) AS TEXT)
      WHEN c.name = 'wrong-type'
      THEN f.kind || ': ' || SUBSTRING(CAST(f.cval AS TEXT), 1, 60)
      WHEN f.kind = 'string'
      THEN SUBSTRING(f.text, 1, 60)
      ELSE SUBSTRING(CAST(f.cval AS TEXT), 1, 60)
    END AS tp_sample
  FROM flags_3 AS f
  CROSS JOIN check_names AS c
  WHERE
    f.f_unplanned + f.f_type + f.f_enum + f.f_pattern + f.f_format + f.f_range + f.f_length + f.f_items > 0
    AND CASE c.name
      WHEN 'unplanned-property'
      THEN f.f_unplanned
      WHEN 'wrong-type'
      THEN f.f_type
      WHEN 'enum'
      THEN f.f_enum
      WHEN 'pattern'
      THEN f.f_pattern
      WHEN 'format'
      THEN f.f_format
      WHEN 'range'
      THEN f.f_range
      WHEN 'length'
      THEN f.f_length
      ELSE f.f_items
    END = 1
), missing_3 AS (
  SELECT
    i.tp_row,
    i.tp_event,
    CASE
      WHEN r.scope IN ('identify', 'group')
      THEN 'missing-trait'
      ELSE 'missing-property'
    END AS check_id,
    CASE
      WHEN r.label <> ''
      THEN r.label
      WHEN i.label = ''
      THEN r.prop_key
      ELSE i.label || '.' || r.prop_key
    END AS property,
    '(missing)' AS tp_sample
  FROM holders_2 AS i
  JOIN (
    SELECT
      parent_id,
      prop_key,
      label,
      scope
    FROM rules
    WHERE
      check_id = 'required'
  ) AS r
    ON r.parent_id = i.node_id
  WHERE
    i.vkind = 'object' AND NOT ARRAY_CONTAINS(JSON_KEYS(i.val), r.prop_key)
), violations AS (
  SELECT
    tp_row,
    tp_event,
    check_id,
    property,
    tp_sample,
    tp_ts
  FROM message_checks
  UNION ALL
  SELECT
    tp_row,
    tp_event,
    check_id,
    property,
    tp_sample,
    NULL AS tp_ts
  FROM found_1
  UNION ALL
  SELECT
    tp_row,
    tp_event,
    check_id,
    property,
    tp_sample,
    NULL AS tp_ts
  FROM missing_1
  UNION ALL
  SELECT
    tp_row,
    tp_event,
    check_id,
    property,
    tp_sample,
    NULL AS tp_ts
  FROM found_2
  UNION ALL
  SELECT
    tp_row,
    tp_event,
    check_id,
    property,
    tp_sample,
    NULL AS tp_ts
  FROM missing_2
  UNION ALL
  SELECT
    tp_row,
    tp_event,
    check_id,
    property,
    tp_sample,
    NULL AS tp_ts
  FROM found_3
  UNION ALL
  SELECT
    tp_row,
    tp_event,
    check_id,
    property,
    tp_sample,
    NULL AS tp_ts
  FROM missing_3
), counted AS (
  SELECT
    tp_event,
    check_id,
    property,
    CAST(COUNT(DISTINCT CASE WHEN check_id = '(message)' THEN tp_row END) AS BIGINT) AS u_seen,
    CAST(COUNT(DISTINCT CASE WHEN check_id <> '(message)' THEN tp_row END) AS BIGINT) AS u_n,
    MIN(tp_ts) AS u_first,
    MAX(tp_ts) AS u_last,
    MIN(tp_sample) AS u_s1,
    MAX(tp_sample) AS u_s2
  FROM violations
  GROUP BY
    GROUPING SETS (
      (
        tp_event
      ),
      (tp_event, check_id, property)
    )
)
SELECT
  "event",
  "seen",
  "valid",
  "first_seen",
  "last_seen",
  "check",
  "property",
  "count",
  "sample_1",
  "sample_2"
FROM (
  SELECT
    tp_event AS "event",
    CASE WHEN COALESCE(check_id, '') = '' THEN u_seen END AS "seen",
    CASE WHEN COALESCE(check_id, '') = '' THEN u_seen - u_n END AS "valid",
    CASE WHEN COALESCE(check_id, '') = '' THEN CAST(u_first AS TEXT) END AS "first_seen",
    CASE WHEN COALESCE(check_id, '') = '' THEN CAST(u_last AS TEXT) END AS "last_seen",
    NULLIF(check_id, '') AS "check",
    property AS "property",
    CASE WHEN COALESCE(check_id, '') <> '' THEN u_n END AS "count",
    CASE WHEN COALESCE(check_id, '') <> '' THEN u_s1 END AS "sample_1",
    CASE WHEN COALESCE(check_id, '') <> '' THEN u_s2 END AS "sample_2"
  FROM counted
  WHERE
    COALESCE(check_id, '') <> '(message)'
) AS result
ORDER BY
  "event" NULLS FIRST,
  "check" NULLS FIRST,
  "property" NULLS FIRST
