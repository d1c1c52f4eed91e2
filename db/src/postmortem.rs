//! The `postmortem` row and the whole-record steps built on it.
//!
//! Owns: the header and scalar columns (status, clock, impact figures,
//! narrative, the published stamp), the name lists folded into the row's
//! query (services, labels, teams, authors), reading whole postmortems with
//! all their parts, and the steps every save shares (content, revision,
//! change-log entry). The other lists are written and read by
//! [`crate::parts`], [`crate::action_items`] and [`crate::links`].

use crate::sql;
use crate::{access, action_items, links, parts, ChangeOp, Result};
use kb_domain::accounts::Access;
use kb_domain::postmortem::NewPostmortem;
use kb_domain::record::Parts;
use kb_domain::{Postmortem, Severity};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// Separates names inside one `string_agg` column: a control character no
/// one types into a service name.
const SEP: char = '\u{1f}';

/// The columns of an [`Postmortem`] held on its row, the name lists folded
/// into one column each so a page of incidents is one query, not 1 + 4n.
macro_rules! select_incident {
    ($tail:literal) => {
        concat!(
            "select p.postmortem_id, p.external_id, p.title, p.severity, p.incident_date,
                    p.summary_md, p.impact_md, p.root_cause_md, p.mitigation_md, p.source_url,
                    p.version, p.created_at, p.updated_at,
                    p.status, p.started_at, p.detected_at, p.mitigated_at, p.resolved_at,
                    p.users_affected, p.requests_failed, p.money_lost, p.currency,
                    p.narrative_md, p.published_by, p.published_at, p.restricted,
                    (select string_agg(s.name, '\u{1f}' order by s.position)
                       from postmortem_service s where s.postmortem_id = p.postmortem_id) as services,
                    (select string_agg(l.name, '\u{1f}' order by l.position)
                       from postmortem_label l where l.postmortem_id = p.postmortem_id) as labels,
                    (select string_agg(t.name, '\u{1f}' order by t.position)
                       from postmortem_team t where t.postmortem_id = p.postmortem_id) as teams,
                    (select string_agg(a.name, '\u{1f}' order by a.position)
                       from postmortem_author a where a.postmortem_id = p.postmortem_id) as authors
               from postmortem p ",
            $tail
        )
    };
}

/// Which postmortems to read.
pub(crate) enum Filter<'a> {
    /// One, by Hindsight's id.
    Id(i64),
    /// One, by the importer's id.
    ExternalId(&'a str),
    /// A page in id order, above `after`.
    After { after: i64, limit: i64 },
    /// These, in id order; missing ones are skipped.
    Ids(&'a [i64]),
}

/// Reads whole postmortems: their rows in one query, then each child table
/// once for all of them. Run it inside a transaction for a consistent view.
pub(crate) async fn load(conn: &mut AnyConnection, filter: Filter<'_>) -> Result<Vec<Postmortem>> {
    let query = match filter {
        Filter::Id(id) => sql::query(select_incident!("where p.postmortem_id = ?")).bind(id),
        Filter::ExternalId(ext) => {
            sql::query(select_incident!("where p.external_id = ?")).bind(ext)
        }
        Filter::After { after, limit } => sql::query(select_incident!(
            "where p.postmortem_id > ? order by p.postmortem_id limit ?"
        ))
        .bind(after)
        .bind(limit),
        Filter::Ids(ids) => sql::query(select_incident!(
            "where p.postmortem_id in (select cast(value as bigint) from json_each(?)) order by p.postmortem_id"
        ))
        .bind(serde_json::to_string(ids)?),
    };
    let rows = query.fetch_all(&mut *conn).await?;
    let mut incidents = rows
        .iter()
        .map(incident_from_row)
        .collect::<Result<Vec<_>>>()?;
    if !incidents.is_empty() {
        // The child queries select by this list: a constant number of
        // queries per page, whatever its size.
        let mut page = parts::Page::new(&mut incidents)?;
        parts::read(conn, &mut page).await?;
        action_items::read(conn, &mut page).await?;
        links::read(conn, &mut page).await?;
        access::read(conn, &mut page).await?;
    }
    Ok(incidents)
}

/// Inserts a postmortem; returns its id and the content as stored (action
/// items with their new ids), which is what its revision should record.
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    new: &NewPostmortem,
    author: &str,
) -> Result<(i64, NewPostmortem)> {
    let id: i64 = sql::query_scalar(
        "insert into postmortem (external_id, title) values (?, ?) returning postmortem_id",
    )
    .bind(&new.external_id)
    .bind(&new.title)
    .fetch_one(&mut *conn)
    .await?;
    let stored = write_content(conn, id, new, author).await?;
    Ok((id, stored))
}

/// Bumps the version and rewrites the content; returns the content as
/// stored.
pub(crate) async fn update(
    conn: &mut AnyConnection,
    id: i64,
    new: &NewPostmortem,
    author: &str,
) -> Result<NewPostmortem> {
    sql::query(
        "update postmortem
            set version = version + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
          where postmortem_id = ?",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    write_content(conn, id, new, author).await
}

/// Writes everything but the identity columns: shared by insert and update
/// so the two can never disagree about which fields are stored. Links and
/// readers are resolved first, so a refused one leaves nothing half-written even for a
/// caller that would commit anyway.
async fn write_content(
    conn: &mut AnyConnection,
    id: i64,
    new: &NewPostmortem,
    author: &str,
) -> Result<NewPostmortem> {
    let targets = links::resolve(conn, id, &new.parts.links).await?;
    let readers = access::resolve(conn, &new.parts.access).await?;
    let p = &new.parts;
    let status = p.writeup_status().as_str();
    // The right-hand sides see the row as it was before this statement, so
    // `status` there is the previous status: publishing stamps, staying
    // published keeps the stamp, leaving published clears it.
    sql::query(
        "update postmortem
            set title = ?, severity = ?, incident_date = ?, summary_md = ?, impact_md = ?,
                root_cause_md = ?, mitigation_md = ?, source_url = ?,
                started_at = ?, detected_at = ?, mitigated_at = ?, resolved_at = ?,
                users_affected = ?, requests_failed = ?, money_lost = ?, currency = ?,
                narrative_md = ?,
                published_by = case when ? <> 'published' then null
                                    when status = 'published' then published_by
                                    else ? end,
                published_at = case when ? <> 'published' then null
                                    when status = 'published' then published_at
                                    else strftime('%Y-%m-%dT%H:%M:%fZ', 'now') end,
                status = ?
          where postmortem_id = ?",
    )
    .bind(&new.title)
    .bind(new.severity.map(Severity::as_str))
    .bind(&new.date)
    .bind(&new.summary)
    .bind(&new.impact)
    .bind(&new.root_cause)
    .bind(&new.mitigation)
    .bind(&new.url)
    .bind(&p.started_at)
    .bind(&p.detected_at)
    .bind(&p.mitigated_at)
    .bind(&p.resolved_at)
    .bind(p.users_affected)
    .bind(p.requests_failed)
    .bind(p.money_lost)
    .bind(&p.currency)
    .bind(&p.narrative)
    .bind(status)
    .bind(author)
    .bind(status)
    .bind(status)
    .bind(id)
    .execute(&mut *conn)
    .await?;

    write_names(conn, NameList::Services, id, &new.services).await?;
    write_names(conn, NameList::Labels, id, &new.labels).await?;
    write_names(conn, NameList::Teams, id, &p.teams).await?;
    write_names(conn, NameList::Authors, id, &p.authors).await?;
    parts::write(conn, id, p).await?;
    let item_ids = action_items::write(conn, id, &p.action_items, author).await?;
    links::write(conn, id, &p.links, &targets).await?;
    access::write(conn, id, &p.access, &readers).await?;

    let mut stored = new.clone();
    stored.parts.status = status.to_string();
    for (item, item_id) in stored.parts.action_items.iter_mut().zip(item_ids) {
        item.id = Some(item_id);
    }
    Ok(stored)
}

/// The tables holding plain lists of names, each `(postmortem_id,
/// position, name)`.
#[derive(Clone, Copy)]
enum NameList {
    Services,
    Labels,
    Teams,
    Authors,
}

impl NameList {
    fn sql(self) -> (&'static str, &'static str) {
        match self {
            NameList::Services => (
                "delete from postmortem_service where postmortem_id = ?",
                "insert into postmortem_service (postmortem_id, position, name) values (?, ?, ?)",
            ),
            NameList::Labels => (
                "delete from postmortem_label where postmortem_id = ?",
                "insert into postmortem_label (postmortem_id, position, name) values (?, ?, ?)",
            ),
            NameList::Teams => (
                "delete from postmortem_team where postmortem_id = ?",
                "insert into postmortem_team (postmortem_id, position, name) values (?, ?, ?)",
            ),
            NameList::Authors => (
                "delete from postmortem_author where postmortem_id = ?",
                "insert into postmortem_author (postmortem_id, position, name) values (?, ?, ?)",
            ),
        }
    }
}

async fn write_names(
    conn: &mut AnyConnection,
    list: NameList,
    id: i64,
    names: &[String],
) -> Result<()> {
    let (clear, insert) = list.sql();
    sql::query(clear).bind(id).execute(&mut *conn).await?;
    for (position, name) in names.iter().enumerate() {
        sql::query(insert)
            .bind(id)
            .bind(position as i64)
            .bind(name)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Keeps `content` as revision `version` of postmortem `id`.
pub(crate) async fn record_revision(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    author: &str,
    content: &NewPostmortem,
) -> Result<()> {
    sql::query(
        "insert into postmortem_revision (postmortem_id, version, author, snapshot) values (?, ?, ?, ?)",
    )
    .bind(id)
    .bind(version)
    .bind(author)
    .bind(serde_json::to_string(content)?)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Appends to the change log; returns the entry's sequence number.
pub(crate) async fn log_change(conn: &mut AnyConnection, id: i64, op: ChangeOp) -> Result<i64> {
    let op = match op {
        ChangeOp::Upsert => "upsert",
        ChangeOp::Delete => "delete",
    };
    Ok(
        sql::query_scalar("insert into change_log (postmortem_id, op) values (?, ?) returning seq")
            .bind(id)
            .bind(op)
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// True when saving `new` over `current` would change nothing. Action item
/// ids are ignored: an exported record carries them, a first import of the
/// same record does not, and neither changes what the items say.
pub(crate) fn same_content(current: &Postmortem, new: &NewPostmortem) -> bool {
    fn without_item_ids(mut n: NewPostmortem) -> NewPostmortem {
        for item in &mut n.parts.action_items {
            item.id = None;
        }
        n
    }
    without_item_ids(current.content()) == without_item_ids(new.clone())
}

/// A stored severity; the column's CHECK constraint admits only valid labels.
pub(crate) fn severity(raw: Option<String>) -> Option<Severity> {
    raw.and_then(|s| s.parse().ok())
}

/// A `string_agg` of names back into a list.
pub(crate) fn split(raw: Option<String>) -> Vec<String> {
    raw.map(|s| s.split(SEP).map(str::to_string).collect())
        .unwrap_or_default()
}

/// The row's own columns; the lists are filled in by [`load`].
fn incident_from_row(r: &AnyRow) -> Result<Postmortem> {
    Ok(Postmortem {
        id: r.try_get("postmortem_id")?,
        external_id: r.try_get("external_id")?,
        title: r.try_get("title")?,
        severity: severity(r.try_get("severity")?),
        date: r.try_get("incident_date")?,
        summary: r.try_get("summary_md")?,
        impact: r.try_get("impact_md")?,
        root_cause: r.try_get("root_cause_md")?,
        mitigation: r.try_get("mitigation_md")?,
        services: split(r.try_get("services")?),
        labels: split(r.try_get("labels")?),
        url: r.try_get("source_url")?,
        parts: Parts {
            status: r.try_get("status")?,
            teams: split(r.try_get("teams")?),
            authors: split(r.try_get("authors")?),
            started_at: r.try_get("started_at")?,
            detected_at: r.try_get("detected_at")?,
            mitigated_at: r.try_get("mitigated_at")?,
            resolved_at: r.try_get("resolved_at")?,
            users_affected: r.try_get("users_affected")?,
            requests_failed: r.try_get("requests_failed")?,
            money_lost: r.try_get("money_lost")?,
            currency: r.try_get("currency")?,
            narrative: r.try_get("narrative_md")?,
            access: Access {
                private: r.try_get::<i64, _>("restricted")? != 0,
                ..Access::default()
            },
            ..Parts::default()
        },
        published_by: r.try_get("published_by")?,
        published_at: r.try_get("published_at")?,
        related: Vec::new(),
        version: r.try_get("version")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}
