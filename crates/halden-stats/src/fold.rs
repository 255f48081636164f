//! From a person's register history (movements in effect, EM periods, community measures) to
//! their episodes: the §1 counting model applied to the register. Pure; `halden-storage` reads
//! the entries and calls this.
//!
//! - Admission opens an episode (a new imprisonment) in the basis it names; release closes it
//!   (a discharge: the register does not say whether on parole or in full), and so does a
//!   handover to mandatory psychiatric care (the case leaves the service).
//! - A basis change closes the episode and opens the next on the same day: a transfer out and
//!   in. A transfer between prisons, leave, hospital and court change nothing (the person stays
//!   in).
//! - An escape closes it on the escape day; a failure to return from leave (an escape while on
//!   leave) closes it on the day the person was due back, or the day recorded if that is
//!   earlier (Halden convention). A recapture opens a re-imprisonment in the same basis.
//! - EM (`electronic_monitoring` supervision from `from` to `until`, both included) is an
//!   episode `[from, until + 1)` of a sentence served at home; where it overlaps custody the
//!   custody counts (precedence), and an EM period starting the day custody ends is a transfer
//!   (back-door EM).

use halden_domain::register::{CustodyBasis, Movement, MovementKind};
use jiff::civil::Date;

use crate::model::{Day, Entry, Episode, Exit, Setting, Status, day};

/// The status a custody basis counts under.
pub fn status_of(basis: CustodyBasis) -> Status {
    match basis {
        CustodyBasis::Remand => Status::Remand,
        CustodyBasis::Sentence => Status::Sentenced,
        CustodyBasis::PreventiveDetention => Status::PreventiveDetention,
        CustodyBasis::FineDefault => Status::FineDefault,
    }
}

/// A person's episodes from their movements in effect (time order) and EM periods.
pub fn episodes(person: u32, movements: &[Movement], em: &[(Date, Date)]) -> Vec<Episode> {
    let mut out: Vec<Episode> = Vec::new();
    // The open episode: (status, start, entry).
    let mut open: Option<(Status, Day, Entry)> = None;
    let mut basis: Option<Status> = None;
    let mut due_back: Option<Day> = None;
    let close =
        |out: &mut Vec<Episode>, open: &mut Option<(Status, Day, Entry)>, end: Day, exit| {
            if let Some((status, start, entry)) = open.take() {
                out.push(Episode {
                    person,
                    status,
                    setting: Setting::Prison,
                    start,
                    end: Some(end.max(start)),
                    entry,
                    exit: Some(exit),
                    band: crate::bands::UNKNOWN,
                });
            }
        };
    for m in movements {
        let d = day(m.at.date());
        match m.kind {
            MovementKind::Admission => {
                close(&mut out, &mut open, d, Exit::Discharge);
                let status = m.basis.map_or(Status::Sentenced, status_of);
                basis = Some(status);
                due_back = None;
                open = Some((status, d, Entry::New));
            }
            MovementKind::BasisChange => {
                let status = m.basis.map_or(Status::Sentenced, status_of);
                basis = Some(status);
                match open {
                    Some((current, _, _)) if current == status => {}
                    Some(_) => {
                        close(&mut out, &mut open, d, Exit::Transfer);
                        open = Some((status, d, Entry::Transfer));
                    }
                    None => {}
                }
            }
            MovementKind::LeaveOut => due_back = m.due_back.map(|t| day(t.date())),
            MovementKind::LeaveReturn => due_back = None,
            MovementKind::Escape => {
                let (end, exit) = match due_back.take() {
                    Some(due) => (due.min(d), Exit::NoReturn),
                    None => (d, Exit::Escape),
                };
                close(&mut out, &mut open, end, exit);
            }
            MovementKind::Recapture => {
                if open.is_none()
                    && let Some(status) = basis
                {
                    open = Some((status, d, Entry::Reimprisonment));
                }
            }
            // A handover to mandatory psychiatric care ends the case in the service: a discharge
            // from its custody, as a release is.
            MovementKind::Release | MovementKind::Handover => {
                close(&mut out, &mut open, d, Exit::Discharge);
                basis = None;
                due_back = None;
            }
            MovementKind::Transfer
            | MovementKind::HospitalOut
            | MovementKind::HospitalReturn
            | MovementKind::CourtOut
            | MovementKind::CourtReturn => {}
        }
    }
    if let Some((status, start, entry)) = open {
        out.push(Episode {
            person,
            status,
            setting: Setting::Prison,
            start,
            end: None,
            entry,
            exit: None,
            band: crate::bands::UNKNOWN,
        });
    }
    // EM periods, clipped to the days outside custody.
    let mut em: Vec<(Day, Day)> = em.iter().map(|(f, u)| (day(*f), day(*u) + 1)).collect();
    em.sort_unstable();
    for (from, to) in em {
        let mut pieces = vec![(from, to)];
        for c in out.iter().filter(|e| e.setting == Setting::Prison) {
            let (cs, ce) = (c.start, c.end.unwrap_or(Day::MAX));
            pieces = pieces
                .into_iter()
                .flat_map(|(s, t)| {
                    if ce <= s || t <= cs {
                        vec![(s, t)]
                    } else {
                        [(s, cs), (ce, t)]
                            .into_iter()
                            .filter(|(a, b)| a < b)
                            .collect()
                    }
                })
                .collect();
        }
        for (s, t) in pieces {
            // Back-door EM: custody ending the day EM starts is a transfer.
            let from_custody = out.iter().position(|c| {
                c.setting == Setting::Prison
                    && c.end == Some(s)
                    && c.exit == Some(Exit::Discharge)
                    && c.status != Status::Remand
            });
            let entry = match from_custody {
                Some(i) => {
                    out[i].exit = Some(Exit::Transfer);
                    Entry::Transfer
                }
                None => Entry::New,
            };
            out.push(Episode {
                person,
                status: Status::Sentenced,
                setting: Setting::Em,
                start: s,
                end: Some(t),
                entry,
                exit: Some(Exit::Discharge),
                band: crate::bands::UNKNOWN,
            });
        }
    }
    out.sort_by_key(|e| e.start);
    out
}

/// The day a judgment received on `received` started being served, from the person's
/// episodes: the received day itself if the person is already serving then (in prison on a
/// final basis, or on EM), else the first serving episode that starts after it.
pub fn started(episodes: &[Episode], received: Date) -> Option<Date> {
    let r = day(received);
    let serving = |e: &&Episode| e.status != Status::Remand || e.setting == Setting::Em;
    if episodes.iter().filter(serving).any(|e| e.covers(r)) {
        return Some(received);
    }
    episodes
        .iter()
        .filter(serving)
        .filter(|e| e.start > r)
        .map(|e| e.start)
        .min()
        .map(crate::model::date)
}

/// Gives each sentenced episode the band of the aggregate imposed sentence it serves
/// (R-CALC-2: judgments served together are one term): the sum of the judgments (`received`,
/// imposed) that started being served ([`started`]) within the episode's spell of unbroken
/// custody, from the spell's first day up to the episode's own start. An episode with no such
/// judgment keeps [`crate::bands::UNKNOWN`]. `episodes` in time order, as [`episodes`] gives
/// them.
pub fn assign_bands(episodes: &mut [Episode], judgments: &[(Date, crate::bands::Imposed)]) {
    let starts: Vec<Option<Day>> = judgments
        .iter()
        .map(|(received, _)| started(episodes, *received).map(day))
        .collect();
    let mut spell_start = Day::MIN;
    let mut previous_end: Option<Day> = None;
    for e in episodes.iter_mut() {
        if previous_end != Some(e.start) {
            spell_start = e.start;
        }
        previous_end = e.end;
        if e.status != Status::Sentenced {
            continue;
        }
        let mut total = crate::bands::Imposed {
            years: 0,
            months: 0,
            days: 0,
        };
        let mut any = false;
        for ((_, imposed), start) in judgments.iter().zip(&starts) {
            if let Some(s) = *start
                && (spell_start..=e.start).contains(&s)
            {
                total.years += imposed.years;
                total.months += imposed.months;
                total.days += imposed.days;
                any = true;
            }
        }
        if any {
            e.band = crate::bands::band_of(total) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{DateTime, date};

    fn mv(kind: MovementKind, at: DateTime, basis: Option<CustodyBasis>) -> Movement {
        Movement {
            kind,
            at,
            prison: None,
            basis,
            due_back: None,
        }
    }

    #[test]
    fn sentenced_episodes_carry_the_band_of_the_term_they_serve() {
        use crate::bands::{Imposed, UNKNOWN};
        use MovementKind::{Admission, BasisChange, Release};
        let at = |y, m, d| date(y, m, d).at(9, 0, 0, 0);
        let months = |m| Imposed {
            years: 0,
            months: m,
            days: 0,
        };
        // Remand from 2024-01-10; sentenced 2024-03-01 to 5 months (received that day) and, in
        // the same spell, 2 more months received 2024-03-01 too: 7 months → "6–12 m" (index 3).
        // Released 2024-09-01. A second spell from 2025-02-03 on a 20-day judgment received
        // 2025-01-20: "<1 m" (20·12 = 240 < 365), not the first spell's term.
        let moves = [
            mv(Admission, at(2024, 1, 10), Some(CustodyBasis::Remand)),
            mv(BasisChange, at(2024, 3, 1), Some(CustodyBasis::Sentence)),
            mv(Release, at(2024, 9, 1), None),
            mv(Admission, at(2025, 2, 3), Some(CustodyBasis::Sentence)),
        ];
        let mut eps = episodes(1, &moves, &[]);
        let judgments = [
            (date(2024, 3, 1), months(5)),
            (date(2024, 3, 1), months(2)),
            (
                date(2025, 1, 20),
                Imposed {
                    years: 0,
                    months: 0,
                    days: 20,
                },
            ),
        ];
        assign_bands(&mut eps, &judgments);
        let bands: Vec<(Status, u8)> = eps.iter().map(|e| (e.status, e.band)).collect();
        assert_eq!(
            bands,
            [
                (Status::Remand, UNKNOWN),
                (Status::Sentenced, 3),
                (Status::Sentenced, 0)
            ]
        );
        // Without judgments the length stays unknown.
        let mut eps = episodes(1, &moves, &[]);
        assign_bands(&mut eps, &[]);
        assert!(eps.iter().all(|e| e.band == UNKNOWN));
    }

    #[test]
    fn movements_become_episodes_by_the_counting_model() {
        use MovementKind::{
            Admission, BasisChange, Escape, HospitalOut, HospitalReturn, LeaveOut, Recapture,
            Release, Transfer,
        };
        let at = |m, d, h| date(2024, m, d).at(h, 0, 0, 0);
        let mut leave = mv(LeaveOut, at(5, 1, 9), None);
        leave.due_back = Some(at(5, 3, 18));
        let moves = [
            mv(Admission, at(1, 10, 14), Some(CustodyBasis::Remand)),
            mv(Transfer, at(2, 1, 9), None),
            mv(BasisChange, at(3, 1, 9), Some(CustodyBasis::Sentence)),
            mv(HospitalOut, at(3, 5, 9), None),
            mv(HospitalReturn, at(3, 6, 9), None),
            leave,
            // Recorded as escaped on 5 May; due back 3 May: exit on 3 May (no return).
            mv(Escape, at(5, 5, 8), None),
            mv(Recapture, at(6, 1, 22), None),
            mv(Release, at(8, 1, 10), None),
        ];
        let eps = episodes(7, &moves, &[(date(2024, 8, 1), date(2024, 9, 30))]);
        let got: Vec<_> = eps
            .iter()
            .map(|e| {
                (
                    e.status,
                    e.setting,
                    crate::model::date(e.start),
                    e.end.map(crate::model::date),
                    e.entry,
                    e.exit,
                )
            })
            .collect();
        use crate::model::{
            Entry::{New, Reimprisonment},
            Exit as X,
            Setting::{Em, Prison},
            Status::{Remand, Sentenced},
        };
        assert_eq!(
            got,
            [
                // Remand 10 Jan → 1 Mar; the prison transfer on 1 Feb is no boundary.
                (
                    Remand,
                    Prison,
                    date(2024, 1, 10),
                    Some(date(2024, 3, 1)),
                    New,
                    Some(X::Transfer)
                ),
                // Sentence from the basis change; hospital and leave stay in; out on the due-back day.
                (
                    Sentenced,
                    Prison,
                    date(2024, 3, 1),
                    Some(date(2024, 5, 3)),
                    Entry::Transfer,
                    Some(X::NoReturn)
                ),
                // Recaptured 1 June: a re-imprisonment; released 1 Aug to EM (back door).
                (
                    Sentenced,
                    Prison,
                    date(2024, 6, 1),
                    Some(date(2024, 8, 1)),
                    Reimprisonment,
                    Some(X::Transfer)
                ),
                // EM 1 Aug–30 Sep inclusive: [1 Aug, 1 Oct).
                (
                    Sentenced,
                    Em,
                    date(2024, 8, 1),
                    Some(date(2024, 10, 1)),
                    Entry::Transfer,
                    Some(X::Discharge)
                ),
            ]
        );
        // A judgment received 15 Feb (on remand, not yet serving) started 1 Mar; one received
        // 10 Mar started that day (already serving).
        assert_eq!(started(&eps, date(2024, 2, 15)), Some(date(2024, 3, 1)));
        assert_eq!(started(&eps, date(2024, 3, 10)), Some(date(2024, 3, 10)));
        assert_eq!(started(&eps, date(2024, 12, 1)), None);
    }

    #[test]
    fn em_overlapping_custody_is_clipped() {
        let moves = [
            mv(
                MovementKind::Admission,
                date(2024, 3, 1).at(9, 0, 0, 0),
                Some(CustodyBasis::Sentence),
            ),
            mv(
                MovementKind::Release,
                date(2024, 3, 10).at(9, 0, 0, 0),
                None,
            ),
        ];
        // EM 5–20 March: custody holds 1–9 March, so EM counts from 10 March (a transfer).
        let eps = episodes(0, &moves, &[(date(2024, 3, 5), date(2024, 3, 20))]);
        assert_eq!(eps.len(), 2);
        assert_eq!(eps[1].start, day(date(2024, 3, 10)));
        assert_eq!(eps[1].end, Some(day(date(2024, 3, 21))));
        assert_eq!(eps[1].entry, Entry::Transfer);
    }
}
