//! Stored conversations: each chat's state as JSON, written on every step so a restart loses none.

use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

use super::Store;
use super::error::Result;
use super::sql::instant;

/// Writes a chat's state, replacing the one before (also inside a larger transaction).
pub(crate) async fn save(
    conn: &mut AnyConnection,
    chat_id: i64,
    person_id: i64,
    state_json: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO dialogues (chat_id, person_id, state, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (chat_id) DO UPDATE SET person_id = excluded.person_id, \
             state = excluded.state, updated_at = excluded.updated_at",
    )
    .bind(chat_id)
    .bind(person_id)
    .bind(state_json.to_string())
    .bind(instant(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    /// A chat's stored state, if it has one.
    pub async fn load_dialogue(&self, chat_id: i64) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_id = $1")
                .bind(chat_id)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    /// Stores a chat's state, replacing the one before.
    pub async fn save_dialogue(
        &self,
        chat_id: i64,
        person_id: i64,
        state_json: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut conn = self.pool().acquire().await?;
        save(&mut conn, chat_id, person_id, state_json, now).await
    }

    /// Forgets a chat's state; a chat without one is left as it is.
    pub async fn clear_dialogue(&self, chat_id: i64) -> Result<()> {
        sqlx::query("DELETE FROM dialogues WHERE chat_id = $1")
            .bind(chat_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
