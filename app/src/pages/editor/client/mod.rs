//! The editor in the browser: a few listeners on the form the server drew
//! (see [`super::draw`]), no views. It adds, moves and removes rows,
//! redraws previews, the clock's durations and "Seen before?", keeps the
//! draft in local storage, and saves: a refusal marks the fields by their
//! paths, a stale save brings the conflict panel.

mod dom;
mod draft;

use super::Fields;
use crate::pages::Submitted;
use dom::{all, one};
use leptos::leptos_dom::helpers::{set_timeout_with_handle, TimeoutHandle};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event};

/// One editor on the page.
struct Editor {
    root: Element,
    /// The form's fields as last saved (or as drawn): what "unsaved
    /// changes" is measured against.
    baseline: RefCell<Fields>,
    /// Pending timers (a preview, "Seen before?"), by what they are for.
    timers: RefCell<Vec<(Element, TimeoutHandle)>>,
    /// Answers to previews arrive in any order; only the latest counts.
    asked: Cell<u32>,
    saving: Cell<bool>,
    saved: Rc<dyn Fn(i64)>,
    cancel: Option<Rc<dyn Fn()>>,
}

/// Runs the editor the server drew under `root`. `saved` gets the id of
/// the postmortem once saved; `cancel` (in place only) closes it.
pub fn attach(root: Element, saved: Rc<dyn Fn(i64)>, cancel: Option<Rc<dyn Fn()>>) {
    // Once per drawn editor, however often the host's effect runs.
    if root.has_attribute("data-attached") {
        return;
    }
    let _ = root.set_attribute("data-attached", "");
    let editor = Rc::new(Editor {
        baseline: RefCell::new(Vec::new()),
        root,
        timers: RefCell::new(Vec::new()),
        asked: Cell::new(0),
        saving: Cell::new(false),
        saved,
        cancel,
    });
    editor.start();
    for event in ["input", "change", "click", "submit"] {
        let e = editor.clone();
        let listener = Closure::<dyn Fn(Event)>::new(move |ev: Event| e.on(ev));
        let _ = editor
            .root
            .add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
        // Lives as long as the page: the root goes with it.
        listener.forget();
    }
    let e = editor.clone();
    let leave = Closure::<dyn Fn(web_sys::BeforeUnloadEvent)>::new(
        move |ev: web_sys::BeforeUnloadEvent| {
            if e.root.is_connected() && e.dirty() {
                // Chrome shows its "leave site?" prompt for this.
                ev.prevent_default();
                ev.set_return_value("unsaved changes");
            }
        },
    );
    let _ =
        window().add_event_listener_with_callback("beforeunload", leave.as_ref().unchecked_ref());
    leave.forget();
}

impl Editor {
    fn form(&self) -> Option<Element> {
        one(&self.root, "form")
    }

    fn data(&self, name: &str) -> Option<String> {
        self.form()?.get_attribute(name)
    }

    fn id(&self) -> Option<i64> {
        self.data("data-id")?.parse().ok()
    }

    /// Makes the drawn form live: its buttons, what it is measured
    /// against, and a kept draft offered back.
    fn start(&self) {
        for button in all(&self.root, "button[type=submit], button[data-op=add]") {
            let _ = button.remove_attribute("disabled");
        }
        let Some(form) = self.form() else { return };
        *self.baseline.borrow_mut() = dom::fields(&form, true);
        if let Some(stored) = self.kept() {
            if stored.fields != *self.baseline.borrow() {
                if let Some(notice) = one(&self.root, "[data-notice]") {
                    if let Some(p) = one(&notice, "[data-fill]") {
                        p.set_text_content(Some(&format!(
                            "Unsaved changes from {} were kept in this browser.",
                            stored.saved_at
                        )));
                    }
                    let _ = notice.remove_attribute("hidden");
                }
            } else {
                self.forget();
            }
        }
        // Typed before the page's code arrived.
        self.changed();
    }

    fn on(self: &Rc<Self>, ev: Event) {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        match ev.type_().as_str() {
            "submit" => {
                ev.prevent_default();
                self.save();
            }
            "click" => {
                if let Some(button) = target.closest("button[data-op]").ok().flatten() {
                    self.act(&button);
                }
            }
            kind => {
                let Some(name) = target.get_attribute("name") else {
                    return;
                };
                if target.has_attribute("data-preview") {
                    self.preview(&target);
                }
                if super::is_symptom(&name) {
                    self.seen_before();
                }
                if name.ends_with("_at") && !name.contains('.') {
                    self.durations();
                }
                if kind == "change" {
                    dom::show_when(&self.root);
                }
                self.changed();
            }
        }
    }

    /// A button of the form: a row's, a list's "Add", or one of the
    /// notice's or the conflict panel's.
    fn act(self: &Rc<Self>, button: &Element) {
        let op = button.get_attribute("data-op").unwrap_or_default();
        let row = button.closest("li").ok().flatten();
        match (op.as_str(), row) {
            ("add", _) => {
                let (Some(form), Some(list)) = (self.form(), button.previous_element_sibling())
                else {
                    return;
                };
                if let Some(first) = dom::add_row(&form, &list)
                    .and_then(|row| one(&row, "input:not([type=hidden]), select, textarea"))
                {
                    let _ = first.unchecked_ref::<web_sys::HtmlElement>().focus();
                }
            }
            ("up" | "down" | "remove", Some(row)) => {
                let Some(list) = row.parent_element() else {
                    return;
                };
                match op.as_str() {
                    "up" => {
                        if let Some(before) = row.previous_element_sibling() {
                            let _ = list.insert_before(&row, Some(&before));
                        }
                    }
                    "down" => {
                        if let Some(after) = row.next_element_sibling() {
                            let _ = list.insert_before(&after, Some(&row));
                        }
                    }
                    _ => row.remove(),
                }
                dom::renumber(&list);
                let focus = if op == "remove" || button.has_attribute("disabled") {
                    list.next_element_sibling()
                } else {
                    Some(button.clone())
                };
                if let Some(f) = focus {
                    let _ = f.unchecked_ref::<web_sys::HtmlElement>().focus();
                }
            }
            ("show-all", _) => {
                for el in all(&self.root, "[data-more]") {
                    let _ = el.remove_attribute("hidden");
                }
                button.remove();
                return;
            }
            ("restore", _) => return self.restore(),
            ("discard", _) => {
                self.forget();
                self.hide_notice();
                return;
            }
            ("cancel", _) => {
                if let Some(cancel) = &self.cancel {
                    cancel();
                }
                return;
            }
            ("keep-mine", _) => {
                let version = button
                    .closest("[data-version]")
                    .ok()
                    .flatten()
                    .and_then(|c| c.get_attribute("data-version"));
                if let (Some(form), Some(version)) = (self.form(), version) {
                    let _ = form.set_attribute("data-version", &version);
                }
                let _ = button.set_attribute("disabled", "");
                button.set_text_content(Some("Saving will replace their version: press Save"));
                return;
            }
            ("take-theirs", _) => return self.take_theirs(),
            _ => return,
        }
        self.changed();
    }

    /// After any change: "Unsaved changes", and the draft kept.
    fn changed(&self) {
        let Some(form) = self.form() else { return };
        let now = dom::fields(&form, false);
        let dirty = now != *self.baseline.borrow();
        if let Some(mark) = one(&form, ".dirty") {
            mark.set_text_content(Some(if dirty { "Unsaved changes" } else { "" }));
        }
        if dirty {
            self.keep(now);
        }
    }

    fn dirty(&self) -> bool {
        self.form()
            .is_some_and(|form| dom::fields(&form, false) != *self.baseline.borrow())
    }

    /// Runs `f` once `el` has been left alone for `ms` milliseconds; a
    /// newer call for the same `el` replaces it.
    fn later(&self, el: &Element, ms: u64, f: impl FnOnce() + 'static) {
        let mut timers = self.timers.borrow_mut();
        timers.retain(|(e, handle)| {
            let same = e == el;
            if same {
                handle.clear();
            }
            !same
        });
        if let Ok(handle) = set_timeout_with_handle(f, Duration::from_millis(ms)) {
            timers.push((el.clone(), handle));
        }
    }

    /// The preview beside markdown field `field`, redrawn by the server.
    fn preview(self: &Rc<Self>, field: &Element) {
        let (e, field) = (self.clone(), field.clone());
        self.later(&field.clone(), 250, move || {
            let Some(preview) = field.next_element_sibling() else {
                return;
            };
            let text = dom_value(&field);
            let asked = (e.asked.get() + 1).to_string();
            e.asked.set(e.asked.get() + 1);
            let _ = preview.set_attribute("data-asked", &asked);
            leptos::task::spawn_local(async move {
                let _ = preview
                    .class_list()
                    .toggle_with_force("empty", text.trim().is_empty());
                if text.trim().is_empty() {
                    preview
                        .set_inner_html("<p class=\"hint\">The preview appears as you type.</p>");
                    return;
                }
                let answer = crate::pages::new::render_markdown(text).await;
                if preview.get_attribute("data-asked").as_deref() != Some(asked.as_str()) {
                    return;
                }
                match answer {
                    // Sanitized by kb-markdown on the server, the only HTML
                    // this app ever injects.
                    Ok(html) => {
                        preview.set_inner_html(&format!("<div class=\"markdown\">{html}</div>"))
                    }
                    Err(error) => preview.set_text_content(Some(&error.to_string())),
                }
            });
        });
    }

    /// "Seen before?" for the draft's symptoms, asked once typing pauses.
    fn seen_before(self: &Rc<Self>) {
        let Some(aside) = one(&self.root, ".seen-before") else {
            return;
        };
        let e = self.clone();
        self.later(&aside.clone(), 400, move || {
            let Some(form) = e.form() else { return };
            let fields: Fields = dom::fields(&form, false)
                .into_iter()
                .filter(|(f, _)| super::is_symptom(f))
                .collect();
            let exclude = e.id();
            leptos::task::spawn_local(async move {
                if let Ok(html) = super::draw_seen_before(exclude, fields).await {
                    aside.set_inner_html(&html);
                }
            });
        });
    }

    /// The clock's durations, from the times as typed.
    fn durations(&self) {
        let Some(form) = self.form() else { return };
        let time = |name: &str| {
            dom::named(&form, name)
                .map(|el| dom_value(&el))
                .filter(|t| !t.trim().is_empty())
        };
        let parts = kb_domain::Parts {
            started_at: time("started_at"),
            detected_at: time("detected_at"),
            mitigated_at: time("mitigated_at"),
            resolved_at: time("resolved_at"),
            ..Default::default()
        };
        if let Some(line) = one(&form, ".durations") {
            line.set_text_content(Some(&super::durations_line(&parts)));
        }
    }

    /// Sends the form; shows what the server answered.
    fn save(self: &Rc<Self>) {
        let Some(form) = self.form() else { return };
        if self.saving.replace(true) {
            return;
        }
        let submit = one(&form, "button[type=submit]");
        if let Some(b) = &submit {
            let _ = b.set_attribute("disabled", "");
        }
        self.show_refusal(&kb_domain::ValidationErrors::default(), "");
        let fields = dom::fields(&form, false);
        let version = self
            .data("data-version")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let (id, section) = (self.id(), self.data("data-section"));
        let e = self.clone();
        leptos::task::spawn_local(async move {
            let answer = super::save_fields(id, version, section.clone(), fields.clone()).await;
            e.saving.set(false);
            if let Some(b) = &submit {
                let _ = b.remove_attribute("disabled");
            }
            match answer {
                Ok(Submitted::Saved(saved)) => {
                    *e.baseline.borrow_mut() = fields;
                    e.forget();
                    (e.saved)(id.unwrap_or(saved));
                }
                Ok(Submitted::Refused(errors)) => e.show_refusal(&errors, ""),
                Ok(Submitted::Stale(_)) => {
                    let Some(id) = id else { return };
                    let panel = match super::draw_conflict(id, section, fields).await {
                        Ok(Some(html)) => html,
                        Ok(None) => "<p class=\"error\" role=\"alert\">Someone else deleted this postmortem or hid it from you.</p>".into(),
                        Err(error) => format!(
                            "<p class=\"error\" role=\"alert\">Not saved: someone else saved meanwhile, and their version could not be loaded: {}</p>",
                            html_escape(&error.to_string())
                        ),
                    };
                    if let Some(slot) = one(&e.root, "[data-conflict]") {
                        slot.set_inner_html(&panel);
                        slot.scroll_into_view();
                    }
                }
                Err(error) => {
                    e.show_refusal(&kb_domain::ValidationErrors::default(), &error.to_string())
                }
            }
        });
    }

    /// Marks each refused field under it and sums the refusal up beside
    /// the save button; `fault` is a failure that is not a refusal.
    fn show_refusal(&self, errors: &kb_domain::ValidationErrors, fault: &str) {
        let Some(form) = self.form() else { return };
        for line in all(&form, ".field-error") {
            line.set_text_content(None);
        }
        let mut unplaced = Vec::new();
        let mut first = None;
        for error in &errors.0 {
            let id = error.field.replace('.', "-");
            match one(&form, &format!("[id=\"{id}-error\"]")) {
                Some(line) => {
                    line.set_text_content(Some(&error.message));
                    first = first.or_else(|| one(&form, &format!("[id=\"{id}\"]")));
                }
                None => unplaced.push(format!("{}: {}", error.field, error.message)),
            }
        }
        let summary = if !fault.is_empty() {
            fault.to_string()
        } else if errors.0.is_empty() {
            String::new()
        } else if self.data("data-section").is_some() {
            format!("Not saved: {errors}")
        } else {
            let mut text = format!(
                "Not saved: {} field(s) need attention; each is marked below.",
                errors.0.len()
            );
            for line in unplaced {
                text.push(' ');
                text.push_str(&line);
            }
            text
        };
        if let Some(line) = one(&form, "[data-summary]") {
            line.set_text_content(Some(&summary));
        }
        if let Some(first) = first {
            let _ = first.unchecked_ref::<web_sys::HtmlElement>().focus();
        }
    }

    /// Replaces the form with the version stored now: the author gives
    /// up theirs.
    fn take_theirs(self: &Rc<Self>) {
        let Some(id) = self.id() else { return };
        let section = self.data("data-section");
        let e = self.clone();
        leptos::task::spawn_local(async move {
            match super::draw_editor(Some(id), section, None, None).await {
                Ok(Some(drawn)) => {
                    e.forget();
                    e.root.set_inner_html(&drawn.html);
                    e.start();
                }
                Ok(None) => e.show_refusal(
                    &Default::default(),
                    "Someone else deleted this postmortem or hid it from you.",
                ),
                Err(error) => e.show_refusal(&Default::default(), &error.to_string()),
            }
        });
    }
}

/// What a text control holds now.
fn dom_value(el: &Element) -> String {
    js_sys::Reflect::get(el, &"value".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
