"""The DuckDB schema, as small named migrations applied in order and recorded in schema_migrations.

Never edit a migration that has shipped; add a new one. The schema is described in README.md.
`Store.ensure_built` applies each pending migration in one transaction together with its row in
schema_migrations, so a migration that fails part-way leaves nothing behind and is retried next start.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    (
        "001_units_measures_scores",
        """
        CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
        CREATE TABLE regions (
            region_id VARCHAR PRIMARY KEY,          -- slug, e.g. 'dong-bang-song-cuu-long'
            name_vi VARCHAR NOT NULL,
            name_en VARCHAR,
            sort_order INTEGER
        );
        -- Provincial units: the 63 provinces (unit_set 'old', until 30/06/2025) and the 34 units
        -- from 01/07/2025 (unit_set 'new'). A name like 'Cần Thơ' exists in both sets as two units.
        CREATE TABLE units (
            unit_id VARCHAR PRIMARY KEY,            -- 'old:soc-trang', 'new:can-tho'
            unit_set VARCHAR NOT NULL CHECK (unit_set IN ('old', 'new')),
            name_vi VARCHAR NOT NULL,
            name_ascii VARCHAR NOT NULL,
            slug VARCHAR NOT NULL,
            unit_type VARCHAR NOT NULL,             -- 'tỉnh' or 'thành phố'
            region_id VARCHAR REFERENCES regions (region_id),
            gso_code INTEGER,
            valid_from DATE,                        -- NULL: before PAPI began
            valid_to DATE,                          -- NULL: still valid
            aliases VARCHAR[] NOT NULL
        );
        CREATE TABLE unit_lineage (
            old_unit_id VARCHAR NOT NULL REFERENCES units (unit_id),
            new_unit_id VARCHAR NOT NULL REFERENCES units (unit_id),
            effective DATE NOT NULL,
            legal_basis VARCHAR NOT NULL,
            PRIMARY KEY (old_unit_id, new_unit_id)
        );
        CREATE TABLE measures (
            code VARCHAR PRIMARY KEY,               -- 'TOTAL', 'D1'..'D8', 'D5.3'
            kind VARCHAR NOT NULL CHECK (kind IN ('aggregate', 'dimension', 'subdimension')),
            parent VARCHAR,
            name_vi VARCHAR NOT NULL,
            name_en VARCHAR NOT NULL,
            short_vi VARCHAR,
            first_year INTEGER,
            last_year INTEGER,
            sort_order INTEGER NOT NULL,
            description_vi VARCHAR
        );
        -- Long form: one published value per year, unit and measure. A missing score has no row.
        CREATE TABLE scores (
            year INTEGER NOT NULL,
            unit_id VARCHAR NOT NULL REFERENCES units (unit_id),
            measure VARCHAR NOT NULL REFERENCES measures (code),
            value DOUBLE NOT NULL,
            ci_low DOUBLE,
            ci_high DOUBLE,
            upload_id INTEGER NOT NULL,             -- the upload that wrote this value
            PRIMARY KEY (year, unit_id, measure)
        );
        """,
    ),
    (
        "002_uploads_audit",
        """
        -- Every file that changed the data: seed files, analysts' uploads, tasks files.
        CREATE TABLE uploads (
            upload_id INTEGER PRIMARY KEY,
            kind VARCHAR NOT NULL CHECK (kind IN ('seed', 'scores', 'tasks')),
            file_name VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            size_bytes BIGINT NOT NULL,
            content BLOB NOT NULL,                  -- the raw file, archived as received
            uploaded_by VARCHAR NOT NULL,
            uploaded_at TIMESTAMP NOT NULL,
            years INTEGER[],
            unit_set VARCHAR,
            replace_mode BOOLEAN NOT NULL,
            rows_in_file INTEGER NOT NULL,
            cells_added INTEGER NOT NULL,
            cells_changed INTEGER NOT NULL,
            cells_removed INTEGER NOT NULL,
            rolled_back_at TIMESTAMP,
            rolled_back_by VARCHAR
        );
        -- Before and after of every cell an upload touched: what rollback restores.
        CREATE TABLE upload_changes (
            upload_id INTEGER NOT NULL REFERENCES uploads (upload_id),
            year INTEGER NOT NULL,
            unit_id VARCHAR NOT NULL,
            measure VARCHAR NOT NULL,
            old_value DOUBLE,                       -- NULL: the cell did not exist
            old_ci_low DOUBLE,
            old_ci_high DOUBLE,
            old_upload_id INTEGER,
            new_value DOUBLE,                       -- NULL: the upload removed the cell
            new_ci_low DOUBLE,
            new_ci_high DOUBLE,
            PRIMARY KEY (upload_id, year, unit_id, measure)
        );
        """,
    ),
    (
        "003_plans_tasks",
        """
        CREATE TABLE plans (
            plan_id VARCHAR PRIMARY KEY,            -- '120/KH-UBND'
            title VARCHAR NOT NULL,
            issuing_body VARCHAR NOT NULL,
            issued_on DATE,
            target_year INTEGER NOT NULL,
            province VARCHAR NOT NULL,
            upload_id INTEGER NOT NULL
        );
        CREATE TABLE tasks (
            plan_id VARCHAR NOT NULL REFERENCES plans (plan_id),
            task_id VARCHAR NOT NULL,
            section_ref VARCHAR NOT NULL,
            title VARCHAR NOT NULL,
            text VARCHAR NOT NULL,
            lead_units VARCHAR[] NOT NULL,
            coordinating_units VARCHAR[] NOT NULL,
            product VARCHAR,
            due_text VARCHAR,
            due_date DATE,
            recurring BOOLEAN NOT NULL,
            tag_basis VARCHAR,                      -- why these dimensions (from the text)
            sort_order INTEGER NOT NULL,
            PRIMARY KEY (plan_id, task_id)
        );
        -- Which dimensions (D2) and sub-dimensions (D5.3) a task targets.
        CREATE TABLE task_measures (
            plan_id VARCHAR NOT NULL,
            task_id VARCHAR NOT NULL,
            measure VARCHAR NOT NULL REFERENCES measures (code),
            PRIMARY KEY (plan_id, task_id, measure)
        );
        """,
    ),
    (
        "004_task_status",
        """
        -- What was done about each task, per reporting period (quarter, '2023-Q3'). Every change is a row:
        -- nothing is updated in place except the undo stamp. The status of a task in a period is its latest
        -- change that is not undone; the status as of a period is the latest such change of any earlier period.
        CREATE TABLE task_status (
            change_id INTEGER PRIMARY KEY,
            plan_id VARCHAR NOT NULL,
            task_id VARCHAR NOT NULL,
            period VARCHAR NOT NULL CHECK (regexp_full_match(period, '[0-9]{4}-Q[1-4]')),
            status VARCHAR NOT NULL
                CHECK (status IN ('Chưa triển khai', 'Đang triển khai', 'Hoàn thành', 'Không thực hiện được')),
            note VARCHAR,                           -- kết quả: a short account of what was done
            evidence VARCHAR,                       -- minh chứng: a document number or a link, kept as text
            recorded_by VARCHAR NOT NULL,
            recorded_at TIMESTAMP NOT NULL,         -- UTC
            upload_id INTEGER,                      -- the status file it came from; NULL: typed in
            undone_at TIMESTAMP,                    -- UTC; NULL: in effect
            undone_by VARCHAR
        );
        """,
    ),
    (
        "005_uploads_kind_status",
        """
        -- Status files are archived like every upload: uploads.kind gains 'status'. DuckDB cannot alter a
        -- CHECK constraint, and upload_changes references uploads, so both tables are rebuilt as they were.
        CREATE TABLE upload_changes_before AS SELECT * FROM upload_changes;
        DROP TABLE upload_changes;
        CREATE TABLE uploads_before AS SELECT * FROM uploads;
        DROP TABLE uploads;
        CREATE TABLE uploads (
            upload_id INTEGER PRIMARY KEY,
            kind VARCHAR NOT NULL CHECK (kind IN ('seed', 'scores', 'tasks', 'status')),
            file_name VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            size_bytes BIGINT NOT NULL,
            content BLOB NOT NULL,
            uploaded_by VARCHAR NOT NULL,
            uploaded_at TIMESTAMP NOT NULL,
            years INTEGER[],
            unit_set VARCHAR,
            replace_mode BOOLEAN NOT NULL,
            rows_in_file INTEGER NOT NULL,
            cells_added INTEGER NOT NULL,
            cells_changed INTEGER NOT NULL,
            cells_removed INTEGER NOT NULL,
            rolled_back_at TIMESTAMP,
            rolled_back_by VARCHAR
        );
        INSERT INTO uploads SELECT * FROM uploads_before;
        DROP TABLE uploads_before;
        CREATE TABLE upload_changes (
            upload_id INTEGER NOT NULL REFERENCES uploads (upload_id),
            year INTEGER NOT NULL,
            unit_id VARCHAR NOT NULL,
            measure VARCHAR NOT NULL,
            old_value DOUBLE,
            old_ci_low DOUBLE,
            old_ci_high DOUBLE,
            old_upload_id INTEGER,
            new_value DOUBLE,
            new_ci_low DOUBLE,
            new_ci_high DOUBLE,
            PRIMARY KEY (upload_id, year, unit_id, measure)
        );
        INSERT INTO upload_changes SELECT * FROM upload_changes_before;
        DROP TABLE upload_changes_before;
        """,
    ),
    (
        "006_tasks_undo",
        """
        -- A tasks upload can be undone: the plan row, tasks and links it replaced are kept, keyed by the
        -- upload that replaced them. tasks loses its foreign key to plans: DuckDB refuses to delete a plan in
        -- the transaction that deletes its tasks, which undoing a new plan needs (the write path keeps them
        -- consistent).
        CREATE TABLE tasks_before AS SELECT * FROM tasks;
        DROP TABLE tasks;
        CREATE TABLE tasks (
            plan_id VARCHAR NOT NULL,
            task_id VARCHAR NOT NULL,
            section_ref VARCHAR NOT NULL,
            title VARCHAR NOT NULL,
            text VARCHAR NOT NULL,
            lead_units VARCHAR[] NOT NULL,
            coordinating_units VARCHAR[] NOT NULL,
            product VARCHAR,
            due_text VARCHAR,
            due_date DATE,
            recurring BOOLEAN NOT NULL,
            tag_basis VARCHAR,
            sort_order INTEGER NOT NULL,
            PRIMARY KEY (plan_id, task_id)
        );
        INSERT INTO tasks SELECT * FROM tasks_before;
        DROP TABLE tasks_before;
        CREATE TABLE plans_replaced AS SELECT 0 AS replaced_by, * FROM plans WITH NO DATA;
        CREATE TABLE tasks_replaced AS SELECT 0 AS replaced_by, * FROM tasks WITH NO DATA;
        CREATE TABLE task_measures_replaced AS SELECT 0 AS replaced_by, * FROM task_measures WITH NO DATA;
        """,
    ),
    (
        "007_depth_of_the_official_workbooks",
        """
        -- Issue 11: what the official workbooks publish below the headline. Standard errors beside the
        -- confidence bounds, with their before/after per upload (rollback restores them too). The weighted
        -- aggregate is a measure of its own, TOTAL_W: added here to a database seeded before it (a new one
        -- gets it from data/measures.csv). Indicators have their own values; the names a year's file gives its
        -- sub-dimensions and indicators are kept per year; both with their before/after per upload. The
        -- mappings of rows and columns analysts confirmed are kept, to be proposed for files of the same shape.
        -- The new tables do not reference uploads (a later rebuild of uploads, as in 005, stays possible);
        -- the write path keeps them consistent.
        ALTER TABLE scores ADD COLUMN std_error DOUBLE;
        ALTER TABLE upload_changes ADD COLUMN old_std_error DOUBLE;
        ALTER TABLE upload_changes ADD COLUMN new_std_error DOUBLE;
        INSERT INTO measures (code, kind, parent, name_vi, name_en, short_vi, first_year, last_year, sort_order,
                              description_vi)
        SELECT 'TOTAL_W', 'aggregate', NULL, 'Chỉ số PAPI tổng hợp có trọng số', 'PAPI aggregate (weighted)',
               'PAPI có trọng số', 2011, NULL, 9,
               'Điểm tổng hợp có trọng số PAPI công bố bên cạnh điểm tổng hợp không trọng số. Điểm chính để xếp hạng, '
               || 'so sánh và lập kế hoạch vẫn là điểm tổng hợp không trọng số.'
        WHERE EXISTS (SELECT 1 FROM meta WHERE key = 'seeded_at')
          AND NOT EXISTS (SELECT 1 FROM measures WHERE code = 'TOTAL_W');
        CREATE TABLE indicator_values (
            year INTEGER NOT NULL,
            unit_id VARCHAR NOT NULL REFERENCES units (unit_id),
            code VARCHAR NOT NULL,                  -- as in the file ('d101'), or made from its label
            value DOUBLE NOT NULL,                  -- in the indicator's unit (published_labels.unit)
            upload_id INTEGER NOT NULL,
            PRIMARY KEY (year, unit_id, code)
        );
        CREATE TABLE published_labels (
            year INTEGER NOT NULL,
            kind VARCHAR NOT NULL CHECK (kind IN ('measure', 'indicator')),
            code VARCHAR NOT NULL,                  -- our sub-dimension code ('D1.1'), or the indicator's code
            sort_order INTEGER NOT NULL,            -- the line's place in the file
            parent VARCHAR,                         -- a sub-dimension's dimension; an indicator's (sub-)dimension
            name_vi VARCHAR,
            name_en VARCHAR,
            unit VARCHAR,                           -- an indicator's unit: '%', 'ngày' …
            upload_id INTEGER NOT NULL,
            PRIMARY KEY (year, kind, code)
        );
        CREATE TABLE upload_indicator_changes (
            upload_id INTEGER NOT NULL,
            year INTEGER NOT NULL,
            unit_id VARCHAR NOT NULL,
            code VARCHAR NOT NULL,
            old_value DOUBLE,                       -- NULL: the cell did not exist
            old_upload_id INTEGER,
            new_value DOUBLE,                       -- NULL: the upload removed the cell
            PRIMARY KEY (upload_id, year, unit_id, code)
        );
        CREATE TABLE upload_label_changes (
            upload_id INTEGER NOT NULL,
            year INTEGER NOT NULL,
            kind VARCHAR NOT NULL,
            code VARCHAR NOT NULL,
            old_sort_order INTEGER,                 -- NULL: the label did not exist
            old_parent VARCHAR,
            old_name_vi VARCHAR,
            old_name_en VARCHAR,
            old_unit VARCHAR,
            old_upload_id INTEGER,
            new_sort_order INTEGER,
            new_parent VARCHAR,
            new_name_vi VARCHAR,
            new_name_en VARCHAR,
            new_unit VARCHAR,
            PRIMARY KEY (upload_id, year, kind, code)
        );
        CREATE TABLE layout_mappings (
            mapping_id INTEGER PRIMARY KEY,
            shape VARCHAR NOT NULL,                 -- mapping.Mapping.shape: the layout and its lines' labels
            layout VARCHAR NOT NULL,
            mapping VARCHAR NOT NULL,               -- JSON: each line's label, the reader's proposal, the target
            upload_id INTEGER NOT NULL,             -- the upload it was confirmed with
            confirmed_by VARCHAR NOT NULL,
            confirmed_at TIMESTAMP NOT NULL
        );
        """,
    ),
]
