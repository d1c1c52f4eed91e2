//! Links between postmortems.
//!
//! Owns the `postmortem_link` table: resolving each link's target (`#12`,
//! or another postmortem's external id) to a postmortem when it is saved,
//! refusing targets that do not exist or are the postmortem itself, and
//! reading links back twice: as the linking side's [`Link`]s (target as
//! written) and as [`Related`] entries on both sides.

use crate::parts::{insert_rows, take, Page};
use crate::sql;
use crate::{DbError, Result};
use kb_domain::record::{link_target_id, Link};
use kb_domain::Related;
use sqlx::{AnyConnection, Row};

/// The postmortem each link of postmortem `id` points at, in order; or
/// [`DbError::Invalid`] naming the first link whose target does not exist,
/// is `id` itself, or is already linked under another name. Writes nothing.
pub(crate) async fn resolve(conn: &mut AnyConnection, id: i64, links: &[Link]) -> Result<Vec<i64>> {
    let mut targets = Vec::with_capacity(links.len());
    for (i, link) in links.iter().enumerate() {
        let refuse = |message: String| DbError::Invalid {
            field: format!("links.{i}.target"),
            message,
        };
        let written = link.target.trim();
        let found: Option<i64> = match link_target_id(written) {
            Some(n) => {
                sql::query_scalar("select postmortem_id from postmortem where postmortem_id = ?")
                    .bind(n)
                    .fetch_optional(&mut *conn)
                    .await?
            }
            None => {
                sql::query_scalar("select postmortem_id from postmortem where external_id = ?")
                    .bind(written)
                    .fetch_optional(&mut *conn)
                    .await?
            }
        };
        let Some(to) = found else {
            return Err(refuse(format!("there is no postmortem {written:?}")));
        };
        if to == id {
            return Err(refuse("a postmortem cannot link to itself".to_string()));
        }
        if targets.contains(&to) {
            return Err(refuse(format!("#{to} is already linked")));
        }
        targets.push(to);
    }
    Ok(targets)
}

/// Replaces the links of postmortem `id`; `targets` is what [`resolve`]
/// returned for the same `links`.
pub(crate) async fn write(
    conn: &mut AnyConnection,
    id: i64,
    links: &[Link],
    targets: &[i64],
) -> Result<()> {
    sql::query("delete from postmortem_link where postmortem_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let rows: Vec<(&Link, &i64)> = links.iter().zip(targets).collect();
    insert_rows(
        conn,
        "insert into postmortem_link (postmortem_id, position, to_postmortem_id, target_ref,
                                      kind, note)
         values (?, ?, ?, ?, ?, ?)",
        id,
        &rows,
        |q, (link, to)| {
            q.bind(**to)
                .bind(&link.target)
                .bind(&link.kind)
                .bind(&link.note)
        },
    )
    .await?;
    Ok(())
}

/// Fills `parts.links` and `related` of every incident in the page (`ids`:
/// their ids as a JSON array). `related` lists the postmortem's own links
/// first, in its order, then the links other postmortems made to it, by
/// their id.
pub(crate) async fn read(conn: &mut AnyConnection, page: &mut Page<'_>) -> Result<()> {
    let mut outgoing = page
        .grouped(
            conn,
            "select l.postmortem_id, l.target_ref, l.kind, l.note,
                p.postmortem_id as other_id, p.title, p.incident_date
           from postmortem_link l
           join postmortem p on p.postmortem_id = l.to_postmortem_id
          where l.postmortem_id in (select cast(value as bigint) from json_each(?))
          order by l.postmortem_id, l.position",
            |r| {
                let link = Link {
                    target: r.try_get("target_ref")?,
                    kind: r.try_get("kind")?,
                    note: r.try_get("note")?,
                };
                let related = related(r, true)?;
                Ok((link, related))
            },
        )
        .await?;
    let mut incoming = page
        .grouped(
            conn,
            "select l.to_postmortem_id as postmortem_id, l.kind, l.note,
                p.postmortem_id as other_id, p.title, p.incident_date
           from postmortem_link l
           join postmortem p on p.postmortem_id = l.postmortem_id
          where l.to_postmortem_id in (select cast(value as bigint) from json_each(?))
          order by l.to_postmortem_id, l.postmortem_id",
            |r| related(r, false),
        )
        .await?;
    for inc in page.postmortems.iter_mut() {
        let (links, mut related): (Vec<Link>, Vec<Related>) =
            take(&mut outgoing, inc.id).into_iter().unzip();
        related.extend(take(&mut incoming, inc.id));
        inc.parts.links = links;
        inc.related = related;
    }
    Ok(())
}

fn related(r: &sqlx::any::AnyRow, outgoing: bool) -> Result<Related> {
    Ok(Related {
        id: r.try_get("other_id")?,
        title: r.try_get("title")?,
        date: r.try_get("incident_date")?,
        kind: r.try_get("kind")?,
        outgoing,
        note: r.try_get("note")?,
    })
}
