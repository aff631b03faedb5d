//! Pieces the seller dashboard and the console's seller page share.

use super::views::StatusChange;
use crate::ui::when;
use leptos::prelude::*;
use shop_types::messages::en;
use shop_types::vendor::ChecklistItem;

/// The checklist before review, each line done or to do; `heading_id` names the heading that
/// labels it.
#[component]
pub fn Checklist(items: Vec<ChecklistItem>, heading_id: &'static str) -> impl IntoView {
    view! {
        <ul class="checklist" aria-labelledby=heading_id>
            {items.into_iter().map(|item| view! {
                <li class:done=item.done>
                    <span class="checklist-state">{if item.done { "Done" } else { "To do" }}": "</span>
                    {en::requirement(&item.requirement)}
                </li>
            }).collect_view()}
        </ul>
    }
}

/// A seller's status changes, oldest first, with staff's notes.
#[component]
pub fn History(changes: Vec<StatusChange>) -> impl IntoView {
    view! {
        <ol class="vendor-history">
            {changes.into_iter().map(|h| view! {
                <li>{when(h.at)}": "{en::vendor_status(h.to)}{h.reason.map(|r| format!(" ({r})"))}</li>
            }).collect_view()}
        </ol>
    }
}
