//! The one reading field of every entry screen (dispatcher, field staff, resident): it keeps
//! no more digits than the meter shows on either side of the comma — typed, pasted or from
//! the numeric keyboard — and takes a comma or a point. The server checks again.

use leptos::prelude::*;

use crate::models::capacity::DigitCapacity;
use crate::models::entry::limit_input;

/// What the empty field shows: the meter's drum, «00000,000».
pub fn drum(capacity: DigitCapacity) -> String {
    let mut s = "0".repeat(capacity.integer() as usize);
    if capacity.fraction() > 0 {
        s.push(',');
        s.push_str(&"0".repeat(capacity.fraction() as usize));
    }
    s
}

#[component]
pub fn ReadingInput(
    capacity: DigitCapacity,
    /// What the field shows.
    #[prop(into)]
    value: Signal<String>,
    /// Called with what the field keeps after every change.
    on_change: Callback<String>,
    #[prop(into)] label: String,
    #[prop(optional, into)] invalid: Signal<bool>,
) -> impl IntoView {
    view! {
        <input
            type="text"
            inputmode="decimal"
            autocomplete="off"
            enterkeyhint="next"
            class="reading-input"
            class:invalid=move || invalid.get()
            data-digits=capacity.label()
            placeholder=drum(capacity)
            aria-label=label
            prop:value=move || value.get()
            on:input=move |ev| {
                let raw = event_target_value(&ev);
                let kept = limit_input(&raw, capacity);
                // put back what the field may hold, even when the kept text did not change
                #[cfg(feature = "hydrate")]
                {
                    use wasm_bindgen::JsCast;
                    if kept != raw {
                        if let Some(input) = ev
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                        {
                            input.set_value(&kept);
                        }
                    }
                }
                on_change.run(kept);
            }
        />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_empty_field_shows_the_meters_drum() {
        assert_eq!(drum(DigitCapacity::new(5, 3).unwrap()), "00000,000");
        assert_eq!(drum(DigitCapacity::new(6, 0).unwrap()), "000000");
    }
}
