pub mod activation;
pub mod audit;
pub mod company;
pub mod users;
