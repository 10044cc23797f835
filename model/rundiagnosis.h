// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"
#include "entityname.h"
#include "lifecyclejournal.h"
#include "whiskclient.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace Feedscope {

class FeedLifecycle;
struct DiagnosisWalk;

// One fact a diagnosis checked: "Rule r1 is inactive", "Feed /whisk.system/alarms/alarm is
// active (READ)".
struct DiagnosisFact
{
    enum class State { Ok, Problem, Unknown };
    State state = State::Unknown;
    QString text;
};

// The one thing that would make the action run, when there is one. EnableRule, RecreateFeed and
// UnpauseFeed are API calls (RunDiagnosis::applyFix); the others are for the app to do (open the
// activation in the monitor, open a rule or action editor).
struct DiagnosisFix
{
    enum class Kind {
        None,
        EnableRule,     // target: the rule, "/guest/r1"
        RecreateFeed,   // target: the trigger; a lost entry gets a CREATE, a disabled one an UPDATE
        UnpauseFeed,    // target: the trigger (a PAUSE by a person, or Feedscope's soft pause)
        CreateRule,     // target: the trigger
        OpenActivation, // target: the failing activation's id
        CreateAction,   // target: the missing action, "/guest/pkg/a"
    };
    Kind kind = Kind::None;
    QString target;
    // RecreateFeed: the feed parameters to configure it with, and whether the provider still
    // holds an entry (then an UPDATE re-activates it instead of a CREATE).
    QJsonObject feedParams;
    bool feedEntryExists = false;

    // The label of a button: "Enable rule r1", "Open activation 3f2a…".
    QString label() const;
    bool isApiCall() const
    {
        return kind == Kind::EnableRule || kind == Kind::RecreateFeed || kind == Kind::UnpauseFeed;
    }
};

QString fixKindName(DiagnosisFix::Kind kind);

// The facts checked, in order, and one sentence that answers "why didn't my action run?".
struct Diagnosis
{
    QString trigger; // "/guest/t" as read, or as asked when it could not be read
    QList<DiagnosisFact> facts;
    QString answer;
    DiagnosisFix fix;
    bool ran = false; // the event (or the latest fire) ran every active rule's action successfully
    bool complete = false; // false: a look-up failed or the check was cancelled; see error
    QString error;

    bool hasProblem() const;
};

// What to diagnose: a trigger and, optionally, one event of it — a trigger activation (by id, or
// its record) or a synthetic 204 / 429 row of ActivationStream::recordLocalFire.
struct DiagnosisRequest
{
    QualifiedName trigger;
    QString eventId;
    std::optional<ActivationRecord> event;
    // Records the monitor has seen (any trigger or action; the diagnosis picks this trigger's).
    // Synthetic 204 / 429 fires exist only here: the server keeps no record of them.
    QList<ActivationRecord> seen;
    qint64 nowMs = 0;                    // 0: the current time
    qint64 recentMs = 10 * 60 * 1000;    // how far back "recent fires" reach
    qint64 throttleWindowMs = 60 * 1000; // "429 in the last minute" (the controller's window)
};

// "Why didn't my action run?" (issue G): walks the facts of one trigger over the API — the
// trigger exists; its feed's READ says active, paused or disabled and why; recent fires were
// answered 204 or 429 (from the rows seen); its rules are there and active; their actions
// exist; the event's rule outcomes (the trigger activation's logs, PROTOCOL.md 2.4) and the
// action activation's end (application error, developer error, timeout) — and answers in one
// sentence with the fix, if any.
//
// For one event the event's own story comes first (what happened to that fire); without one,
// what blocks the next fire comes first (feed, rules, actions) and then the latest fire seen.
// Every request uses this object as its context: destroying it or cancel() drops the walk.
class RunDiagnosis : public QObject
{
    Q_OBJECT

public:
    // `lifecycle` (a Session's) performs the feed fixes; its client and journal are used for the
    // look-ups.
    explicit RunDiagnosis(FeedLifecycle *lifecycle, QObject *parent = nullptr);
    ~RunDiagnosis() override;

    // Starts a check (cancelling one that runs); finished() follows, never synchronously.
    void run(const DiagnosisRequest &request);
    void cancel();
    bool isRunning() const;

    struct FixOutcome
    {
        bool ok = false;
        QString message; // "Rule /guest/r1 enabled." or why it failed
    };
    // Performs an API fix (DiagnosisFix::isApiCall); others fail with a message. `done` is
    // dropped when `context` dies.
    void applyFix(const DiagnosisFix &fix, QObject *context, std::function<void(FixOutcome)> done);

Q_SIGNALS:
    void progress(const QString &text);
    void finished(const Feedscope::Diagnosis &diagnosis);

private:
    QPointer<FeedLifecycle> m_lifecycle;
    WhiskClientPtr m_client;
    LifecycleJournalPtr m_journal;
    std::shared_ptr<DiagnosisWalk> m_walk;
};

} // namespace Feedscope

Q_DECLARE_METATYPE(Feedscope::Diagnosis)
