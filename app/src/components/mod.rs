//! Building blocks shared by pages.

pub mod error_view;
pub mod export;
pub mod layout;
pub mod side_menu;
pub mod table;
pub mod top_bar;
