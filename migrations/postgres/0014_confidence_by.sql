-- Who stated each confidence step, for the insights page's calibration per
-- person (issue 27). Empty for steps recorded before it was asked. The
-- PostgreSQL twin of sqlite/0014_confidence_by.sql.
alter table hypothesis_confidence add column stated_by text not null default '';
