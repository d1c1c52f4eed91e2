//! Who is asking: the caller of a request and what the services need to
//! know about it ([`RequestContext`]). A leaf: plain data over accounts,
//! with nothing of HTTP; `crate::request` builds it from a request, and the
//! services, the access rules and the command line read it.

use kb_domain::accounts::Account;

/// The caller of a request, as far as Hindsight knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// Someone signed in.
    User(Account),
    /// Nobody signed in, on an instance with no administrator yet: the
    /// person setting it up, with every right (see [`crate::access`]).
    LocalAnonymous,
    /// Nobody signed in, once accounts are in force: may only sign in.
    Anonymous,
    /// The command line, run by whoever can read the data folder.
    CommandLine,
}

/// Everything a service needs to know about the request it serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestContext {
    /// Who is asking.
    pub caller: Caller,
    /// The name the person goes by as an action-item owner: the account's,
    /// or on an instance without accounts yet what they told Hindsight (a
    /// cookie, see `crate::request`); "my items" are the items with this
    /// owner.
    pub name: Option<String>,
    /// True when the caller proved who they are with an API token rather
    /// than a signed-in session: a script, which may use the API within
    /// its token's scope but never manage tokens or accounts (see
    /// `crate::access::Need::Session`).
    pub by_token: bool,
}

impl RequestContext {
    /// The context of a command-line invocation.
    pub fn command_line() -> Self {
        Self {
            caller: Caller::CommandLine,
            name: None,
            by_token: false,
        }
    }

    /// Who is recorded as the author of a save: the account's name when
    /// someone is signed in.
    pub fn actor(&self) -> String {
        match &self.caller {
            Caller::User(account) => account.name.clone(),
            Caller::LocalAnonymous | Caller::Anonymous => "local".to_string(),
            Caller::CommandLine => "cli".to_string(),
        }
    }

    /// Whose eyes reads are for: admins, the command line and the
    /// operator of an instance without accounts see every postmortem;
    /// anyone else the public ones and the private ones naming them or a
    /// group of theirs. A token's role is already capped by its scope, so
    /// an admin's read token sees what a viewer would.
    pub fn viewer(&self) -> kb_db::Viewer {
        match &self.caller {
            Caller::User(account) if account.role == kb_domain::accounts::Role::Admin => {
                kb_db::Viewer::All
            }
            Caller::User(account) => kb_db::Viewer::Account(account.id),
            Caller::LocalAnonymous | Caller::CommandLine => kb_db::Viewer::All,
            Caller::Anonymous => kb_db::Viewer::Public,
        }
    }

    /// The signed-in account, if any.
    pub fn account(&self) -> Option<&Account> {
        match &self.caller {
            Caller::User(account) => Some(account),
            _ => None,
        }
    }

    /// Who to record as having made a change: the account when signed in,
    /// else the name the person gave, else [`RequestContext::actor`].
    pub fn who(&self) -> String {
        match &self.caller {
            Caller::User(account) => account.name.clone(),
            _ => self.name.clone().unwrap_or_else(|| self.actor()),
        }
    }
}
