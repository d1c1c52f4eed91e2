//! Reading and reshaping the form the server drew: its fields as pairs,
//! rows added, moved, removed and renumbered, and what shows only for
//! some values (`data-when`).

use super::super::Fields;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// A property of a DOM object (`value`, `checked`), if it is one.
fn prop(el: &Element, name: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(el, &name.into()).unwrap_or_default()
}

fn prop_text(el: &Element, name: &str) -> String {
    prop(el, name).as_string().unwrap_or_default()
}

/// Every element under `root` matching `selector`, in document order.
pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

/// The first element under `root` matching `selector`.
pub fn one(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

/// The value a control posts now (`drawn`: as the server drew it); `None`
/// for an unchecked box, which posts nothing.
fn value(el: &Element, drawn: bool) -> Option<String> {
    let kind = prop_text(el, "type");
    if kind == "checkbox" {
        let checked = prop(el, if drawn { "defaultChecked" } else { "checked" });
        return checked.is_truthy().then(|| "on".to_string());
    }
    if !drawn {
        return Some(prop_text(el, "value"));
    }
    if el.tag_name() == "SELECT" {
        let options = all(el, "option");
        let chosen = options
            .iter()
            .find(|o| prop(o, "defaultSelected").is_truthy())
            .or(options.first());
        return Some(chosen.map(|o| prop_text(o, "value")).unwrap_or_default());
    }
    Some(prop_text(el, "defaultValue"))
}

/// The form's fields in document order, as posted now or (`drawn`) as
/// the server drew them.
pub fn fields(form: &Element, drawn: bool) -> Fields {
    all(form, "[name]")
        .iter()
        .filter_map(|el| Some((el.get_attribute("name")?, value(el, drawn)?)))
        .collect()
}

/// The control named `name` under `root`. Names are field paths: letters,
/// digits, `_` and `.`, safe inside a selector's quotes.
pub fn named(root: &Element, name: &str) -> Option<Element> {
    one(root, &format!("[name=\"{name}\"]"))
}

/// Sets `hidden` on each `data-when` element under `root` from the value
/// it depends on (`learnings.2.kind=pattern`, `access.private=on`, or
/// `!=`).
pub fn show_when(root: &Element) {
    for el in all(root, "[data-when]") {
        let rule = el.get_attribute("data-when").unwrap_or_default();
        let (path, want, equal) = match rule.split_once("!=") {
            Some((p, v)) => (p, v, false),
            None => match rule.split_once('=') {
                Some((p, v)) => (p, v, true),
                None => continue,
            },
        };
        let Some(control) = named(root, path) else {
            continue;
        };
        let is = value(&control, false).unwrap_or_default() == want;
        let _ = if is == equal {
            el.remove_attribute("hidden")
        } else {
            el.set_attribute("hidden", "")
        };
    }
}

/// Adds a blank row to the list `list` (an `ol` with `data-list` and
/// `data-kind`), from the form's `<template data-kind>`; answers the new
/// row.
pub fn add_row(form: &Element, list: &Element) -> Option<Element> {
    let kind = list.get_attribute("data-kind")?;
    let path = list.get_attribute("data-list")?;
    let template = one(form, &format!("template[data-kind=\"{kind}\"]"))?;
    let index = list.child_element_count().to_string();
    let html = template
        .inner_html()
        .replace("__L__.", &format!("{path}."))
        .replace("__L__-", &format!("{}-", path.replace('.', "-")))
        .replace("__i__", &index);
    list.insert_adjacent_html("beforeend", &html).ok()?;
    let row = list.last_element_child()?;
    for add in all(&row, "button[data-op=add]") {
        let _ = add.remove_attribute("disabled");
    }
    // A new confidence step starts where the last one ended.
    if kind == "confidence" {
        let step = |el: &Element| one(el, "input[type=number]");
        if let (Some(before), Some(new)) = (
            row.previous_element_sibling().as_ref().and_then(step),
            step(&row),
        ) {
            let _ = js_sys::Reflect::set(&new, &"value".into(), &prop(&before, "value"));
        }
    }
    renumber(list);
    Some(row)
}

/// Gives each row of `list` the index of its position: its fields' names
/// and ids, its nested lists, its buttons' names ("Move action item 2
/// up") and which of them may be pressed.
pub fn renumber(list: &Element) {
    let path = list.get_attribute("data-list").unwrap_or_default();
    let dashed = path.replace('.', "-");
    let noun = list.get_attribute("data-noun").unwrap_or_default();
    let rows = all(list, ":scope > li");
    let count = rows.len();
    for (at, row) in rows.iter().enumerate() {
        let was = row.get_attribute("data-index").unwrap_or_default();
        let now = at.to_string();
        if was != now {
            let from = (format!("{path}.{was}"), format!("{dashed}-{was}"));
            let to = (format!("{path}.{now}"), format!("{dashed}-{now}"));
            let mut inside = all(row, "*");
            inside.push(row.clone());
            for el in inside {
                rename(&el, &from, &to);
            }
            let _ = row.set_attribute("data-index", &now);
            if row.has_attribute("data-step") {
                let _ = row.set_attribute("data-step", &now);
            }
        }
        let n = at + 1;
        for button in all(
            row,
            ":scope > .row-tools > button, :scope > button[data-op]",
        ) {
            let op = button.get_attribute("data-op").unwrap_or_default();
            let (label, off) = match op.as_str() {
                "up" => (format!("Move {noun} {n} up"), at == 0),
                "down" => (format!("Move {noun} {n} down"), at + 1 >= count),
                _ => (format!("Remove {noun} {n}"), false),
            };
            let _ = button.set_attribute("aria-label", &label);
            let _ = if off {
                button.set_attribute("disabled", "")
            } else {
                button.remove_attribute("disabled")
            };
        }
    }
}

/// The attributes that hold a field path, dotted or dashed.
const PATHS: [&str; 8] = [
    "name",
    "id",
    "for",
    "aria-describedby",
    "aria-labelledby",
    "data-row",
    "data-list",
    "data-when",
];

/// Moves `el`'s paths from one row prefix to another (`from`, `to`: the
/// dotted and the dashed form).
fn rename(el: &Element, from: &(String, String), to: &(String, String)) {
    for attr in PATHS {
        let Some(value) = el.get_attribute(attr) else {
            continue;
        };
        let moved = [(&from.0, &to.0, '.'), (&from.1, &to.1, '-')]
            .into_iter()
            .find_map(|(old, new, sep)| {
                let rest = value.strip_prefix(old.as_str())?;
                (rest.is_empty()
                    || rest.starts_with(sep)
                    || rest.starts_with("!=")
                    || rest.starts_with('='))
                .then(|| format!("{new}{rest}"))
            });
        if let Some(moved) = moved {
            let _ = el.set_attribute(attr, &moved);
        }
    }
}
