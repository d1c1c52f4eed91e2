-- Investigate (issue 25). A root cause's verification: the team's answer
-- to "if we fix this, does it prevent a recurrence?", empty until given.
alter table root_cause add column prevents text not null default ''
    check (prevents in ('', 'yes', 'partly', 'no'));

-- What someone did with a finding of a postmortem's Investigate panel:
-- accepted it into the record (and where) or dismissed it. Findings are
-- recomputed from the record on every read, so a decision is keyed by the
-- finding's kind and statement, which is what a person saw and judged.
create table finding_decision (
    finding_decision_id  integer primary key autoincrement,
    postmortem_id        integer not null
                         references postmortem (postmortem_id) on delete cascade,
    kind                 text not null,
    statement            text not null,
    decision             text not null check (decision in ('accepted', 'dismissed')),
    -- Where an accepted finding went; empty for a dismissal.
    accepted_into        text not null default ''
                         check (accepted_into in ('', 'evidence_for', 'evidence_against',
                                                  'timeline', 'why', 'link')),
    who                  text not null,
    at                   text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    unique (postmortem_id, kind, statement)
);
