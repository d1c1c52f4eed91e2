//! The whole editor's draft in the browser's local storage: kept as it
//! changes, offered back after a crash or a closed tab, drawn by the
//! server when restored, forgotten once saved or discarded.

use super::dom::{all, one};
use super::Editor;
use crate::pages::editor::Fields;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// What is kept per postmortem in local storage.
#[derive(Serialize, Deserialize)]
pub(super) struct Stored {
    /// When it was written, as the browser's clock read it.
    pub(super) saved_at: String,
    /// The form's fields.
    pub(super) fields: Fields,
}

impl Editor {
    /// Draws the kept draft in place of the form's sections.
    pub(super) fn restore(self: &Rc<Self>) {
        let Some(stored) = self.kept() else { return };
        let e = self.clone();
        leptos::task::spawn_local(async move {
            match crate::pages::editor::draw_fields(stored.fields).await {
                Ok(html) => {
                    if let Some(sections) = one(&e.root, "[data-sections]") {
                        sections.set_inner_html(&html);
                    }
                    for button in all(&e.root, "button[data-op=add]") {
                        let _ = button.remove_attribute("disabled");
                    }
                    if let Some(more) = one(&e.root, "[data-op=show-all]") {
                        more.remove();
                    }
                    e.hide_notice();
                    e.changed();
                }
                Err(error) => e.show_refusal(&Default::default(), &error.to_string()),
            }
        });
    }

    pub(super) fn hide_notice(&self) {
        if let Some(notice) = one(&self.root, "[data-notice]") {
            let _ = notice.set_attribute("hidden", "");
        }
    }

    fn key(&self) -> Option<String> {
        self.data("data-key")
    }

    pub(super) fn kept(&self) -> Option<Stored> {
        let text = storage()?.get_item(&self.key()?).ok()??;
        // A draft kept by an older version of the editor does not parse,
        // and is not offered.
        serde_json::from_str(&text).ok()
    }

    pub(super) fn keep(&self, fields: Fields) {
        let (Some(storage), Some(key)) = (storage(), self.key()) else {
            return;
        };
        let stored = Stored {
            saved_at: String::from(js_sys::Date::new_0().to_iso_string()),
            fields,
        };
        if let Ok(text) = serde_json::to_string(&stored) {
            // Full storage only loses the safety copy, never the draft on screen.
            let _ = storage.set_item(&key, &text);
        }
    }

    /// Forgets the kept draft (saved, or discarded by the author).
    pub(super) fn forget(&self) {
        if let (Some(storage), Some(key)) = (storage(), self.key()) {
            let _ = storage.remove_item(&key);
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}
