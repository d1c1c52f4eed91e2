-- Revision history: every save of a postmortem keeps the whole record as it
-- was saved, with who saved it, so nothing is ever silently overwritten and
-- any old state can be shown or restored.

create table postmortem_revision (
    postmortem_revision_id  integer primary key,
    postmortem_id           integer not null references postmortem (postmortem_id) on delete cascade,
    -- The postmortem's version this save produced (1 for the creation).
    version                 integer not null,
    -- Who saved it, as the request context named them.
    author                  text not null,
    -- The saved content as JSON, in the shape of kb_domain::NewIncident.
    -- History is read whole and rarely, so one document per revision is
    -- simpler than versioning every child table.
    snapshot                text not null,
    created_at              text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    unique (postmortem_id, version)
);

-- Postmortems saved before history existed get their current state as their
-- first known revision.
insert into postmortem_revision (postmortem_id, version, author, snapshot, created_at)
select p.postmortem_id, p.version, 'unknown',
       json_object(
           'external_id', p.external_id,
           'title', p.title,
           'severity', p.severity,
           'date', p.incident_date,
           'summary', p.summary_md,
           'impact', p.impact_md,
           'root_cause', p.root_cause_md,
           'mitigation', p.mitigation_md,
           'services', (select json_group_array(name) from
                           (select name from postmortem_service s
                             where s.postmortem_id = p.postmortem_id order by position)),
           'labels', (select json_group_array(name) from
                         (select name from postmortem_label l
                           where l.postmortem_id = p.postmortem_id order by position)),
           'url', p.source_url),
       p.updated_at
  from postmortem p;
