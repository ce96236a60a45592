//! Sortable column headers for client-side sorted lists.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

/// Which column a list is sorted by, and whether ascending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort<K> {
    pub key: K,
    pub ascending: bool,
}

impl<K: Copy + PartialEq> Sort<K> {
    pub fn toggled(self, key: K) -> Sort<K> {
        if self.key == key {
            Sort {
                key,
                ascending: !self.ascending,
            }
        } else {
            Sort {
                key,
                ascending: true,
            }
        }
    }
}

#[component]
pub fn SortTh<K: Copy + PartialEq + Send + Sync + 'static>(
    label: Msg,
    key: K,
    sort: RwSignal<Sort<K>>,
    #[prop(optional)] numeric: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let mark = move || {
        let s = sort.get();
        if s.key != key {
            ""
        } else if s.ascending {
            " ▲"
        } else {
            " ▼"
        }
    };
    let aria = move || {
        let s = sort.get();
        if s.key != key {
            "none"
        } else if s.ascending {
            "ascending"
        } else {
            "descending"
        }
    };
    view! {
        <th class:num=numeric aria-sort=aria>
            <button type="button" class="th-sort" on:click=move |_| sort.update(|s| *s = s.toggled(key))>
                {move || i18n.t(label)}
                {mark}
            </button>
        </th>
    }
}

/// Page numbers to show: the first, the last, and two either side of the current one.
pub fn page_numbers(current: u32, pages: u32) -> Vec<Option<u32>> {
    let mut out = Vec::new();
    for p in 1..=pages {
        if p == 1 || p == pages || p.abs_diff(current) <= 2 {
            out.push(Some(p));
        } else if out.last() != Some(&None) {
            out.push(None);
        }
    }
    out
}

/// A list's search: every word of `query` must appear somewhere in `hay` (any case; a comma
/// after a word is ignored, so «мосфильмовская, 98» finds the address).
/// The rows a list shows: those `keep` takes, in the order `sort` asks of `compare`.
pub fn shown_rows<T: Clone, K: Copy>(
    rows: &[T],
    keep: impl Fn(&T) -> bool,
    sort: Sort<K>,
    compare: impl Fn(&T, &T, K) -> std::cmp::Ordering,
) -> Vec<T> {
    let mut v: Vec<T> = rows.iter().filter(|r| keep(r)).cloned().collect();
    v.sort_by(|a, b| {
        let o = compare(a, b, sort.key);
        if sort.ascending {
            o
        } else {
            o.reverse()
        }
    });
    v
}

pub fn all_words_in(hay: &str, query: &str) -> bool {
    let hay = crate::models::text::lowercase(hay);
    crate::models::text::lowercase(query)
        .split_whitespace()
        .all(|w| hay.contains(w.trim_end_matches(',')))
}
