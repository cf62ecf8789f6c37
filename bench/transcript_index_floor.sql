-- What writing 100,000 already-resolved scores costs against the raw COPY of the same rows, by what the score table
-- keeps: the heap alone, the one unique key the law needs (one score per student, discipline, period and kind) as the
-- primary key, and today's shape (a bigserial id as the primary key and that unique key beside it). Nothing is looked
-- up or checked; the keys' triggers are off (session_replication_role = replica), as the import writes.
-- Usage (a scratch database, dropped after):  psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE floor_scratch' &&
--   psql -h 127.0.0.1 -U postgres -d floor_scratch -f bench/transcript_index_floor.sql; psql … -c 'DROP DATABASE floor_scratch'
-- Each write runs three times into an emptied table; \timing prints each.
\timing on
CREATE UNLOGGED TABLE src AS SELECT (1 + g % 10000)::bigint AS student_id, (1 + (g / 10000) * 10 + g % 10)::bigint AS
  discipline_id, '2025-2026'::text AS period, 'final'::text AS kind, (g % 100)::numeric(5, 2) AS points
  FROM generate_series(0, 99999) g;
\copy (SELECT lpad(student_id::text, 12, '0'), 'D' || discipline_id, period, kind, points FROM src) TO '/tmp/floor_scores.csv' CSV
CREATE UNLOGGED TABLE raw (iin text, discipline text, period text, kind text, points text);
\echo raw COPY, as bench/transcripts_bench.py times it: the file into an unlogged table of text columns
\copy raw FROM '/tmp/floor_scores.csv' CSV
TRUNCATE raw;
\copy raw FROM '/tmp/floor_scores.csv' CSV
TRUNCATE raw;
\copy raw FROM '/tmp/floor_scores.csv' CSV
CREATE TABLE heap_only (student_id bigint NOT NULL, discipline_id bigint NOT NULL, period varchar(10) NOT NULL,
  kind varchar(10) NOT NULL, points numeric(5, 2) NOT NULL CHECK (points >= 0 AND points <= 100),
  source varchar(10) NOT NULL DEFAULT 'import');
CREATE TABLE key_only (LIKE heap_only INCLUDING ALL, PRIMARY KEY (student_id, discipline_id, period, kind));
CREATE TABLE today (id bigserial PRIMARY KEY, LIKE heap_only INCLUDING ALL,
  UNIQUE (student_id, discipline_id, period, kind));
SET session_replication_role = replica;
\echo the heap alone
INSERT INTO heap_only (student_id, discipline_id, period, kind, points) SELECT * FROM src;
TRUNCATE heap_only;
INSERT INTO heap_only (student_id, discipline_id, period, kind, points) SELECT * FROM src;
TRUNCATE heap_only;
INSERT INTO heap_only (student_id, discipline_id, period, kind, points) SELECT * FROM src;
\echo the unique key as the primary key, nothing else
INSERT INTO key_only (student_id, discipline_id, period, kind, points) SELECT * FROM src;
TRUNCATE key_only;
INSERT INTO key_only (student_id, discipline_id, period, kind, points) SELECT * FROM src;
TRUNCATE key_only;
INSERT INTO key_only (student_id, discipline_id, period, kind, points) SELECT * FROM src;
\echo today: a bigserial id and the unique key
INSERT INTO today (student_id, discipline_id, period, kind, points) SELECT * FROM src;
TRUNCATE today;
INSERT INTO today (student_id, discipline_id, period, kind, points) SELECT * FROM src;
TRUNCATE today;
INSERT INTO today (student_id, discipline_id, period, kind, points) SELECT * FROM src;
