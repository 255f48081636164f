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
