//! What the router shows at each path, each page behind a lazy boundary:
//! built with `cargo leptos --split`, the browser fetches a page's wasm
//! the first time it shows that page (code pages share goes in chunks of
//! its own), so a visit to the list never downloads the editor. On the
//! server the pages are ordinary functions; a wasm built without `--split`
//! cannot load, so every script builds with it.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// A route type loading `$page` lazily; it needs no data of its own (the
/// page loads what it shows through its resources).
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $page:path) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(this: Self) -> AnyView {
                let _ = this;
                crate::mark_hydrated();
                view! { <$page/> }.into_any()
            }
        }
    };
}

lazy_page!(
    /// `/`: the list.
    Home => crate::pages::home::HomePage
);
lazy_page!(
    /// `/new`: the editor, empty or from a template.
    New => crate::pages::new::NewPage
);
lazy_page!(
    /// `/incidents/:id`: one postmortem.
    Postmortem => crate::pages::postmortem::PostmortemPage
);
lazy_page!(
    /// `/incidents/:id/edit`: the editor on a stored postmortem.
    Edit => crate::pages::edit::EditPage
);
lazy_page!(
    /// `/search`.
    Search => crate::pages::search::SearchPage
);
lazy_page!(
    /// `/investigate`: findings from pasted evidence.
    Investigate => crate::pages::investigate::InvestigatePage
);
lazy_page!(
    /// `/sign-in`.
    SignIn => crate::pages::account::SignInPage
);
lazy_page!(
    /// `/setup`: the first administrator.
    Setup => crate::pages::account::SetupPage
);
lazy_page!(
    /// `/account`: one's own password and tokens.
    Account => crate::pages::account::AccountPage
);
lazy_page!(
    /// `/admin/users`.
    Users => crate::pages::admin::UsersPage
);
lazy_page!(
    /// `/admin/integrations`.
    Integrations => crate::pages::integrations::IntegrationsPage
);
lazy_page!(
    /// `/admin/groups`.
    Groups => crate::pages::private::GroupsPage
);
lazy_page!(
    /// `/admin/audit`.
    Audit => crate::pages::private::AuditPage
);
lazy_page!(
    /// `/action-items`: tracking across postmortems.
    ActionItems => crate::pages::action_items::ActionItemsPage
);
lazy_page!(
    /// `/insights`.
    Insights => crate::pages::insights::InsightsPage
);
lazy_page!(
    /// `/action-items/summary`.
    ActionSummary => crate::pages::action_items::summary::ActionSummaryPage
);
