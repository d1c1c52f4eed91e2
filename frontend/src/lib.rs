//! The browser half: takes over the server-rendered page. Pages are lazy
//! (`app::routes`), so hydration first fetches the current page's chunk.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
