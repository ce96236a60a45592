pub mod activation;
pub mod api;
pub mod audit;
pub mod company;
pub mod import;
pub mod password;
pub mod period;
pub mod users;
