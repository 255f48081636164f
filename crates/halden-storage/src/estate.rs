//! The reference estate's tables: prisons, probation offices, municipalities.

use crate::{StorageError, Store, flag};

/// A prison department.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PrisonRow {
    /// Estate id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Prison unit.
    pub unit: String,
    /// Municipality.
    pub municipality: String,
    /// Region.
    pub region: String,
    /// `high`, `lower` or `halfway`.
    pub security_level: String,
    /// Ordinary places.
    pub capacity: i64,
    /// 1 when it has places for women.
    pub women: i64,
    /// 1 for a youth unit.
    pub youth: i64,
    /// 1 when it takes remand prisoners.
    pub remand: i64,
}

impl PrisonRow {
    /// Takes remand prisoners.
    pub fn takes_remand(&self) -> bool {
        flag(self.remand)
    }
}

/// A probation office.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProbationOfficeRow {
    /// Estate id.
    pub id: String,
    /// Name.
    pub office: String,
    /// Town.
    pub location: String,
    /// Municipality.
    pub municipality: String,
    /// Region.
    pub region: String,
}

impl Store {
    /// Writes the reference estate when the tables are empty (idempotent).
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn seed_estate(
        &self,
        prisons: &[PrisonRow],
        offices: &[ProbationOfficeRow],
        municipalities: &[(String, String, String, i64)],
    ) -> Result<(), StorageError> {
        let mut tx = self.write.begin().await?;
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM prisons")
            .fetch_one(&mut *tx)
            .await?;
        if n > 0 {
            return Ok(());
        }
        for p in prisons {
            sqlx::query(
                "INSERT INTO prisons (id, name, unit, municipality, region, security_level, \
                 capacity, women, youth, remand) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(p.id.as_str())
            .bind(p.name.as_str())
            .bind(p.unit.as_str())
            .bind(p.municipality.as_str())
            .bind(p.region.as_str())
            .bind(p.security_level.as_str())
            .bind(p.capacity)
            .bind(p.women)
            .bind(p.youth)
            .bind(p.remand)
            .execute(&mut *tx)
            .await?;
        }
        for o in offices {
            sqlx::query(
                "INSERT INTO probation_offices (id, office, location, municipality, region) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(o.id.as_str())
            .bind(o.office.as_str())
            .bind(o.location.as_str())
            .bind(o.municipality.as_str())
            .bind(o.region.as_str())
            .execute(&mut *tx)
            .await?;
        }
        for (id, name, county, population) in municipalities {
            sqlx::query(
                "INSERT INTO municipalities (id, name, county, population) VALUES ($1, $2, $3, $4)",
            )
            .bind(id.as_str())
            .bind(name.as_str())
            .bind(county.as_str())
            .bind(*population)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every prison department, by unit and name.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn prisons(&self) -> Result<Vec<PrisonRow>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT id, name, unit, municipality, region, security_level, capacity, women, \
             youth, remand FROM prisons ORDER BY unit, name",
        )
        .fetch_all(&self.read)
        .await?)
    }

    /// How many places are held in each department on `day`, by department id (departments
    /// nobody holds a place in are absent). A place is held from the day a person is admitted or
    /// transferred in until, not including, the day they are released, transferred out or
    /// escape; on leave, at hospital or at court they keep it (the `stays` projection, written
    /// with every entry). Works the same for today and any past day.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn occupancy(
        &self,
        day: jiff::civil::Date,
    ) -> Result<std::collections::HashMap<String, i64>, StorageError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT prison_id, COUNT(*) FROM stays \
             WHERE from_day <= $1 AND (to_day IS NULL OR to_day > $1) GROUP BY prison_id",
        )
        .bind(day.to_string())
        .fetch_all(&self.read)
        .await?;
        Ok(rows.into_iter().collect())
    }

    /// Every probation office.
    ///
    /// # Errors
    ///
    /// A database failure.
    pub async fn probation_offices(&self) -> Result<Vec<ProbationOfficeRow>, StorageError> {
        Ok(sqlx::query_as(
            "SELECT id, office, location, municipality, region FROM probation_offices ORDER BY id",
        )
        .fetch_all(&self.read)
        .await?)
    }
}
