//! Accounts as the rest of the app sees them: who someone is, what their
//! role lets them do, what a new account must look like, API tokens
//! as their owner sees them, groups, who may see a private postmortem
//! ([`Access`]) and the audit log of reads of one. Passwords,
//! hashes and sessions never leave the server; they are not here.

use crate::postmortem::ValidationErrors;
use serde::{Deserialize, Serialize};

/// Longest account name, in characters: the same bound as an owner name,
/// since the account name is what "my items" and revision authors show.
pub const MAX_ACCOUNT_NAME: usize = crate::postmortem::MAX_NAME;

/// Shortest password accepted. Length is what makes a password hard to
/// guess (NIST SP 800-63B); no composition rules.
pub const MIN_PASSWORD: usize = 10;

/// Longest password accepted, in bytes: argon2 takes any length, but a
/// megabyte "password" is a way to make the server hash a megabyte.
pub const MAX_PASSWORD: usize = 1024;

text_enum! {
    /// What an account may do. Each role includes the ones before it.
    Role {
        /// Read and search.
        Viewer = "viewer", "Viewer";
        /// Also write postmortems and change action items.
        Editor = "editor", "Editor";
        /// Also manage accounts and settings.
        Admin = "admin", "Admin";
    }
}

impl Role {
    /// True when this role includes `other` (an admin may do what an editor may).
    pub fn includes(self, other: Role) -> bool {
        self >= other
    }
}

// Roles cross the wire by their stored names.
impl Serialize for Role {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Role::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("unknown role {text:?}; one of {}", Role::names()))
        })
    }
}

/// A signed-in person, as pages and server functions see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The account's id.
    pub id: i64,
    /// The name they sign in with; also their name as an action-item owner
    /// and as the author of what they save.
    pub name: String,
    /// What they may do.
    pub role: Role,
}

/// Checks the fields of a new account: `name` as typed, `password` and its
/// `confirm`ation. Field names are `name`, `password` and `confirm`.
pub fn validate_new_account(
    name: &str,
    password: &str,
    confirm: &str,
) -> Result<String, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let name = name.trim();
    if name.is_empty() {
        errors.push("name", "A name is required.");
    } else if name.chars().count() > MAX_ACCOUNT_NAME {
        errors.push(
            "name",
            format!("A name is at most {MAX_ACCOUNT_NAME} characters."),
        );
    } else if name.chars().any(char::is_control) {
        errors.push("name", "A name cannot hold control characters.");
    }
    if let Some(message) = password_problem(password) {
        errors.push("password", message);
    } else if password != confirm {
        errors.push("confirm", "The two passwords differ.");
    }
    if errors.is_empty() {
        Ok(name.to_string())
    } else {
        Err(errors)
    }
}

/// Why `password` cannot be used, if it cannot.
pub fn password_problem(password: &str) -> Option<String> {
    if password.chars().count() < MIN_PASSWORD {
        Some(format!("A password is at least {MIN_PASSWORD} characters."))
    } else if password.len() > MAX_PASSWORD {
        Some(format!("A password is at most {MAX_PASSWORD} bytes."))
    } else {
        None
    }
}

text_enum! {
    /// What an API token may do, whatever more its account may.
    TokenScope {
        /// Read and search through the API.
        Read = "read", "Read";
        /// Also write: create postmortems, change action items. Never
        /// more than an editor, whatever the account's role.
        Write = "write", "Write";
    }
}

impl TokenScope {
    /// The role a request with this token acts with, for an account of
    /// `role`: the lower of the two.
    pub fn cap(self, role: Role) -> Role {
        let most = match self {
            TokenScope::Read => Role::Viewer,
            TokenScope::Write => Role::Editor,
        };
        role.min(most)
    }
}

/// An API token as its owner sees it (never the secret, after creation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    /// The token's id.
    pub id: i64,
    /// What the owner called it ("deploy bot").
    pub name: String,
    /// `read` or `write`.
    pub scope: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// When it last authenticated a request (to the minute), if ever.
    pub last_used_at: Option<String>,
    /// When its owner revoked it; a revoked token authenticates nothing.
    pub revoked_at: Option<String>,
}

/// Who may see a postmortem. A private one exists only for the people
/// named, the members of the groups named, and admins; to anyone else it
/// is not there at all (not listed, searched, counted or linked).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Access {
    /// Restricted to `users` and `groups`.
    pub private: bool,
    /// Account names.
    pub users: Vec<String>,
    /// Group names.
    pub groups: Vec<String>,
}

impl Access {
    /// Names trimmed and deduplicated; a private postmortem must name
    /// someone (else only admins could ever see it, which is a mistake
    /// more often than a wish); a public one keeps no names, so the lists
    /// never say something the flag does not.
    pub fn validate(&self, errors: &mut ValidationErrors) -> Access {
        if !self.private {
            return Access::default();
        }
        let users = crate::record::names("access.users", &self.users, errors);
        let groups = crate::record::names("access.groups", &self.groups, errors);
        if users.is_empty() && groups.is_empty() {
            errors.push(
                "access.users",
                "name the people or groups who may see this private postmortem",
            );
        }
        Access {
            private: true,
            users,
            groups,
        }
    }

    /// "Alice, Bob and group sre": for a badge.
    pub fn describe(&self) -> String {
        let mut names: Vec<String> = self.users.clone();
        names.extend(self.groups.iter().map(|g| format!("group {g}")));
        match names.len() {
            0 => String::new(),
            1 => names.remove(0),
            n => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
        }
    }
}

/// A named set of accounts a private postmortem can be shared with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// Hindsight's id.
    pub id: i64,
    /// Unique, whatever the case.
    pub name: String,
    /// Account names, alphabetical.
    pub members: Vec<String>,
}

/// One read or write of a private postmortem, as admins read the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEntry {
    /// RFC 3339, UTC.
    pub at: String,
    /// Who: an account name, or `local`/`cli` before accounts.
    pub who: String,
    /// The postmortem.
    pub postmortem_id: i64,
    /// Its title now (empty once deleted).
    pub title: String,
    /// `read` or `write`.
    pub action: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_postmortem_names_someone_and_a_public_one_no_one() {
        let mut errors = ValidationErrors::default();
        let private = Access {
            private: true,
            users: vec![" ada ".into(), "Ada".into()],
            groups: vec!["sre".into()],
        }
        .validate(&mut errors);
        assert!(errors.is_empty());
        assert_eq!(private.users, vec!["ada"]);
        assert_eq!(private.describe(), "ada and group sre");

        let public = Access {
            private: false,
            users: vec!["ada".into()],
            groups: vec![],
        }
        .validate(&mut errors);
        assert_eq!(public, Access::default());

        Access {
            private: true,
            users: vec!["  ".into()],
            groups: vec![],
        }
        .validate(&mut errors);
        assert!(!errors.is_empty());
    }

    #[test]
    fn roles_include_the_ones_below() {
        assert!(Role::Admin.includes(Role::Editor));
        assert!(Role::Editor.includes(Role::Viewer));
        assert!(Role::Editor.includes(Role::Editor));
        assert!(!Role::Viewer.includes(Role::Editor));
        assert!(!Role::Editor.includes(Role::Admin));
    }

    #[test]
    fn a_token_never_acts_beyond_its_scope_or_its_account() {
        assert_eq!(TokenScope::Read.cap(Role::Admin), Role::Viewer);
        assert_eq!(TokenScope::Write.cap(Role::Admin), Role::Editor);
        assert_eq!(TokenScope::Write.cap(Role::Viewer), Role::Viewer);
    }

    #[test]
    fn a_new_account_needs_a_name_and_a_long_enough_confirmed_password() {
        assert_eq!(
            validate_new_account("  ada ", "correct horse", "correct horse"),
            Ok("ada".to_string())
        );
        let errors = validate_new_account(" ", "short", "short").unwrap_err();
        assert!(errors.for_field("name").is_some());
        assert!(errors.for_field("password").unwrap().contains("10"));
        let errors = validate_new_account("ada", "correct horse", "correct h0rse").unwrap_err();
        assert_eq!(
            errors.for_field("confirm"),
            Some("The two passwords differ.")
        );
        assert!(validate_new_account(&"x".repeat(101), "correct horse", "correct horse").is_err());
        assert!(validate_new_account("ada", &"p".repeat(2000), &"p".repeat(2000)).is_err());
    }
}
