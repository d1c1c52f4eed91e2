//! Private postmortems: who may see one, groups, and the audit log.
//!
//! Owns `postmortem.restricted`, `postmortem_reader`, `account_group`,
//! `group_member` and `access_log`. The rest of the store never decides
//! visibility itself: a caller's [`Viewer`] becomes [`Hidden`], the ids of
//! the private postmortems it may not see, and every list, count, link and
//! search leaves those out. Few postmortems are private, so that list is
//! short and read from a partial index.

use crate::parts::{insert_rows, Page};
use crate::sql;
use crate::{DbError, Result, Store};
use kb_domain::accounts::{Access, AccessEntry, Group};
use sqlx::{AnyConnection, Row};

/// Whose eyes a read is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// Sees every postmortem: admins, the command line, an instance
    /// without accounts.
    All,
    /// Sees public postmortems and the private ones naming this account
    /// or a group it belongs to.
    Account(i64),
    /// Sees public postmortems only.
    Public,
}

/// The private postmortems a [`Viewer`] may not see, ascending. Empty for
/// most callers, and then every query runs exactly as it would without
/// private postmortems.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Hidden(Vec<i64>);

impl Hidden {
    /// Hides nothing.
    pub fn none() -> Hidden {
        Hidden(Vec::new())
    }

    /// True when `id` is hidden.
    pub fn contains(&self, id: i64) -> bool {
        self.0.binary_search(&id).is_ok()
    }

    /// True when nothing is hidden.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The ids, ascending.
    pub fn ids(&self) -> &[i64] {
        &self.0
    }

    /// The ids as a JSON array, for
    /// `in (select cast(value as bigint) from json_each(?))`.
    pub(crate) fn json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "[]".to_string())
    }
}

/// The private postmortems `viewer` may not see.
pub(crate) async fn hidden(conn: &mut AnyConnection, viewer: Viewer) -> Result<Hidden> {
    let ids: Vec<i64> =
        match viewer {
            Viewer::All => return Ok(Hidden::none()),
            Viewer::Public => sql::query_scalar(
                "select postmortem_id from postmortem where restricted = 1 order by postmortem_id",
            )
            .fetch_all(&mut *conn)
            .await?,
            Viewer::Account(account) => {
                sql::query_scalar(
                    "select p.postmortem_id from postmortem p
                  where p.restricted = 1
                    and not exists (
                        select 1 from postmortem_reader r
                         where r.postmortem_id = p.postmortem_id
                           and (r.account_id = ?
                                or r.group_id in (select g.group_id from group_member g
                                                   where g.account_id = ?)))
                  order by p.postmortem_id",
                )
                .bind(account)
                .bind(account)
                .fetch_all(&mut *conn)
                .await?
            }
        };
    Ok(Hidden(ids))
}

/// The readers `access` names, as (account, group) ids in its order; or
/// [`DbError::Invalid`] naming the first name that is no account or group.
/// Writes nothing.
pub(crate) async fn resolve(
    conn: &mut AnyConnection,
    access: &Access,
) -> Result<Vec<(Option<i64>, Option<i64>)>> {
    let mut out = Vec::new();
    if !access.private {
        return Ok(out);
    }
    for name in &access.users {
        let id: Option<i64> =
            sql::query_scalar("select account_id from account where lower(name) = lower(?)")
                .bind(name)
                .fetch_optional(&mut *conn)
                .await?;
        let Some(id) = id else {
            return Err(DbError::Invalid {
                field: "access.users".to_string(),
                message: format!("there is no account named {name:?}"),
            });
        };
        out.push((Some(id), None));
    }
    for name in &access.groups {
        let id: Option<i64> =
            sql::query_scalar("select group_id from account_group where lower(name) = lower(?)")
                .bind(name)
                .fetch_optional(&mut *conn)
                .await?;
        let Some(id) = id else {
            return Err(DbError::Invalid {
                field: "access.groups".to_string(),
                message: format!("there is no group named {name:?}"),
            });
        };
        out.push((None, Some(id)));
    }
    Ok(out)
}

/// Sets who may see postmortem `id`; `readers` is what [`resolve`]
/// returned for the same access.
pub(crate) async fn write(
    conn: &mut AnyConnection,
    id: i64,
    access: &Access,
    readers: &[(Option<i64>, Option<i64>)],
) -> Result<()> {
    sql::query("update postmortem set restricted = ? where postmortem_id = ?")
        .bind(i64::from(access.private))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sql::query("delete from postmortem_reader where postmortem_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    insert_rows(
        conn,
        "insert into postmortem_reader (postmortem_id, position, account_id, group_id)
         values (?, ?, ?, ?)",
        id,
        readers,
        |q, (account, group)| q.bind(*account).bind(*group),
    )
    .await?;
    Ok(())
}

/// Fills the reader names of the private ones among `incidents` (`ids`:
/// their ids as a JSON array); `access.private` is already set from the
/// row.
pub(crate) async fn read(conn: &mut AnyConnection, page: &mut Page<'_>) -> Result<()> {
    if !page.postmortems.iter().any(|i| i.parts.access.private) {
        return Ok(());
    }
    // The project's one way of reading a child table for a page of
    // postmortems: one query, rows grouped by postmortem.
    let mut readers = page
        .grouped(
            conn,
            "select r.postmortem_id, a.name as user_name, g.name as group_name
           from postmortem_reader r
           left join account a on a.account_id = r.account_id
           left join account_group g on g.group_id = r.group_id
          where r.postmortem_id in (select cast(value as bigint) from json_each(?))
          order by r.postmortem_id, r.position",
            |r| {
                Ok((
                    r.try_get::<Option<String>, _>("user_name")?,
                    r.try_get::<Option<String>, _>("group_name")?,
                ))
            },
        )
        .await?;
    for postmortem in page.postmortems.iter_mut() {
        for (user, group) in crate::parts::take(&mut readers, postmortem.id) {
            postmortem.parts.access.users.extend(user);
            postmortem.parts.access.groups.extend(group);
        }
    }
    Ok(())
}

/// Maps a unique-name violation to [`DbError::NameTaken`].
fn name_taken(name: &str) -> impl FnOnce(sqlx::Error) -> DbError + '_ {
    move |e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            DbError::NameTaken(name.to_string())
        }
        _ => e.into(),
    }
}

impl Store {
    /// The private postmortems `viewer` may not see.
    pub async fn hidden(&self, viewer: Viewer) -> Result<Hidden> {
        // Admins and the command line are most searches on a small
        // instance: no connection is taken for them (taking one checks it).
        if viewer == Viewer::All {
            return Ok(Hidden::none());
        }
        let mut conn = self.pool.acquire().await?;
        hidden(&mut conn, viewer).await
    }

    /// Whether `viewer` would still see a postmortem restricted by `access`
    /// (validated): true for a public one and for [`Viewer::All`]; else
    /// the account must be named or in a group named.
    pub async fn would_see(&self, viewer: Viewer, access: &Access) -> Result<bool> {
        if !access.private {
            return Ok(true);
        }
        let account = match viewer {
            Viewer::All => return Ok(true),
            Viewer::Public => return Ok(false),
            Viewer::Account(id) => id,
        };
        let found: Option<i64> = sql::query_scalar(
            "select 1 from account a
              where a.account_id = ?
                and (lower(a.name) in (select lower(value) from json_each(?))
                     or exists (select 1 from group_member m
                                  join account_group g on g.group_id = m.group_id
                                 where m.account_id = a.account_id
                                   and lower(g.name) in (select lower(value) from json_each(?))))",
        )
        .bind(account)
        .bind(serde_json::to_string(&access.users)?)
        .bind(serde_json::to_string(&access.groups)?)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// Every group with its members' names, by name.
    pub async fn groups(&self) -> Result<Vec<Group>> {
        let rows = sql::query(
            "select g.group_id, g.name,
                    (select string_agg(a.name, '\u{1f}' order by lower(a.name))
                       from group_member m join account a on a.account_id = m.account_id
                      where m.group_id = g.group_id) as members
               from account_group g order by lower(g.name)",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Group {
                    id: r.try_get("group_id")?,
                    name: r.try_get("name")?,
                    members: crate::postmortem::split(r.try_get("members")?),
                })
            })
            .collect()
    }

    /// Creates a group (validated name); [`DbError::NameTaken`] when one
    /// has that name whatever its case.
    pub async fn create_group(&self, name: &str) -> Result<i64> {
        sql::query_scalar("insert into account_group (name) values (?) returning group_id")
            .bind(name)
            .fetch_one(&self.pool)
            .await
            .map_err(name_taken(name))
    }

    /// Puts the account named `account` into group `group` (or takes it
    /// out). [`DbError::NotFound`] when either does not exist.
    pub async fn set_member(&self, group: i64, account: &str, member: bool) -> Result<()> {
        let mut tx = self.write().await?;
        let account_id: Option<i64> =
            sql::query_scalar("select account_id from account where lower(name) = lower(?)")
                .bind(account)
                .fetch_optional(&mut *tx)
                .await?;
        let exists: Option<i64> =
            sql::query_scalar("select group_id from account_group where group_id = ?")
                .bind(group)
                .fetch_optional(&mut *tx)
                .await?;
        let (Some(account_id), Some(_)) = (account_id, exists) else {
            return Err(DbError::NotFound);
        };
        let sql = if member {
            "insert into group_member (group_id, account_id) values (?, ?) on conflict do nothing"
        } else {
            "delete from group_member where group_id = ? and account_id = ?"
        };
        sql::query(sql)
            .bind(group)
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes one read or write of private postmortem `postmortem_id` to
    /// the audit log; the same person doing the same thing to the same
    /// postmortem within a minute is one entry (a page view reads a
    /// postmortem several times).
    pub async fn log_access(
        &self,
        account: Option<i64>,
        who: &str,
        postmortem_id: i64,
        action: &str,
    ) -> Result<()> {
        sql::query(
            "insert into access_log (account_id, who, postmortem_id, action)
             select ?, ?, ?, ?
              where not exists (
                select 1 from access_log
                 where postmortem_id = ? and who = ? and action = ?
                   and at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-60 seconds'))",
        )
        .bind(account)
        .bind(who)
        .bind(postmortem_id)
        .bind(action)
        .bind(postmortem_id)
        .bind(who)
        .bind(action)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The newest `limit` audit entries with an id below `before` (paging
    /// back), newest first.
    pub async fn access_log(
        &self,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<(i64, AccessEntry)>> {
        let rows = sql::query(
            "select l.access_log_id, l.at, l.who, l.postmortem_id, l.action,
                    coalesce(p.title, '') as title
               from access_log l left join postmortem p on p.postmortem_id = l.postmortem_id
              where l.access_log_id < ?
              order by l.access_log_id desc limit ?",
        )
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("access_log_id")?,
                    AccessEntry {
                        at: r.try_get("at")?,
                        who: r.try_get("who")?,
                        postmortem_id: r.try_get("postmortem_id")?,
                        title: r.try_get("title")?,
                        action: r.try_get("action")?,
                    },
                ))
            })
            .collect()
    }
}
