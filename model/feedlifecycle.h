// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"
#include "result.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QStringList>

#include <functional>

namespace Feedscope {

class LifecycleJournal;
class WhiskClient;

// What a finished Operation did: whether it succeeded, which step failed and why, what was
// rolled back, and what the user should know even on success (STYLE.md 14, 16).
struct OperationReport
{
    QString title;             // "Creating trigger /guest/t with feed /whisk.system/alarms/alarm"
    bool ok = false;
    bool cancelled = false;
    int failedStep = -1;       // index into steps; -1 when none failed
    QString failedStepName;
    QString errorMessage;      // "Configure the feed (CREATE): cron pattern 'x' is not valid"
    QStringList steps;         // every step of the final list, in order
    QStringList completed;     // "name" or "name — note"
    QStringList undone;        // undo actions that worked, newest first
    QStringList undoErrors;    // undo actions that did not
    QStringList warnings;
    QJsonObject data;          // operation-specific results (read: trigger, config, status)

    // One readable paragraph for a status bar or log panel.
    QString summary() const;
};

// A cancellable list of asynchronous steps (STYLE.md 14). Steps run one after the other; the
// first failure stops the list and the undo actions of the steps done so far run newest first.
// cancel() lets the running step finish, then undoes. A step may insert further steps right
// after itself (e.g. one "Disable rule" per rule) so the list stays explicit in the report.
// The operation is the context object of every request its steps make: deleting it drops
// their late answers. Unless setAutoDelete(false), it deletes itself after finished().
class Operation : public QObject
{
    Q_OBJECT

public:
    // How one step ended. A step that does not apply succeeds with a note ("skipped: ...").
    struct Outcome
    {
        bool ok = true;
        QString error; // when !ok
        QString note;  // shown next to the step name in the report

        static Outcome success(const QString &note = {}) { return {true, {}, note}; }
        static Outcome failure(const QString &error) { return {false, error, {}}; }
    };
    using Next = std::function<void(Outcome)>;
    using UndoDone = std::function<void(bool ok, const QString &note)>;
    struct Step
    {
        QString name;
        std::function<void(Operation &, Next)> run;
        std::function<void(Operation &, UndoDone)> undo; // empty: nothing to undo
        // Undo even when the step itself failed (a half-done remote call: a feed CREATE that
        // failed or timed out may still have stored something).
        bool undoEvenIfFailed = false;
    };

    Operation(const QString &title, QList<Step> steps, QObject *parent = nullptr);
    ~Operation() override;

    // Starts on the next event-loop turn, so callers connect first. Idempotent.
    void start();
    void cancel();
    void setAutoDelete(bool autoDelete) { m_autoDelete = autoDelete; }

    bool isFinished() const { return m_finished; }
    const OperationReport &report() const { return m_report; }
    QStringList stepNames() const;
    int stepCount() const { return int(m_steps.size()); }

    // For steps.
    void addWarning(const QString &warning) { m_report.warnings.append(warning); }
    void setData(const QString &key, const QJsonValue &value) { m_report.data.insert(key, value); }
    void insertSteps(const QList<Step> &steps);

Q_SIGNALS:
    void progress(int stepIndex, int stepCount, const QString &text);
    void finished(const Feedscope::OperationReport &report);

private:
    void runStep(int index);
    void stepDone(int index, const Outcome &outcome);
    void rollback();
    void undoNext();
    void finish();

    QList<Step> m_steps;
    QList<int> m_undoStack;
    OperationReport m_report;
    int m_current = -1;
    bool m_started = false;
    bool m_running = false;
    bool m_cancelRequested = false;
    bool m_finished = false;
    bool m_autoDelete = true;
};

// The answer of a feed action to one lifecycle event (PROTOCOL.md 3.1).
struct FeedAnswer
{
    bool ok = false;        // finished and successful
    bool finished = false;  // false: the call failed or the blocking wait ran out (202)
    QJsonValue result;      // the activation result (READ: {config, status})
    QString error;          // readable: "cron pattern 'x' is not valid"
    QString activationId;
    QString activationStatus; // "success", "application error", "action developer error", ...
    int httpStatus = 0;     // the invoke's HTTP status when the call itself failed (404, 403...)
    int feedStatusCode = 0; // result.error.statusCode when the feed reported one

    // The feed refused the event as unknown ("unsupported lifecycleEvent", "not supported").
    bool unsupported() const;
};

// Readable text of an activation's error result: {error: "x"} → "x"; {error: {error: "x",
// statusCode}} (the upstream feeds reject with the web action's body) → "x"; {error: {message}}.
QString readableFeedError(const QJsonValue &result);

// Invokes `feed` blocking with lifecycleEvent, triggerName and authKey (the client's own key
// unless `authKey` is given) plus `params`; the controller merges package and binding
// parameters when `feed` names an action through a binding.
void invokeFeed(WhiskClient &client, const QualifiedName &feed, const QString &event,
                const QString &triggerName, const QJsonObject &params, QObject *context,
                std::function<void(FeedAnswer)> done, const QString &authKey = {});

// Feed triggers done better than the CLI (PROTOCOL.md 3.2–3.5): every operation is an
// Operation with explicit steps; failures roll back, a feed DELETE that fails leaves a
// tombstone in the journal instead of an orphaned provider entry, UPDATE falls back to
// DELETE + CREATE where refused, PAUSE falls back to disabling rules ("soft pause").
// Operations are children of `context` and start on the next event-loop turn.
class FeedLifecycle : public QObject
{
    Q_OBJECT

public:
    FeedLifecycle(WhiskClient &client, LifecycleJournal &journal, QObject *parent = nullptr);

    // PUT the trigger (trigger parameters only, plus the feed annotation), then CREATE at the
    // feed with the feed parameters. On failure or timeout: DELETE at the feed, DELETE the
    // trigger, and report the feed's error.
    Operation *create(const QualifiedName &trigger, const QualifiedName &feed,
                      const QJsonObject &triggerParams, const QJsonObject &feedParams,
                      QObject *context, const QJsonObject &triggerAnnotations = {});
    // report.data: trigger (document), feed (name), feedResult (READ answer), config, status.
    Operation *read(const QualifiedName &trigger, QObject *context);
    // UPDATE with the updatable feed parameters only (the feed action's `parameters`
    // annotation, when it has one); where the feed refuses UPDATE: DELETE + CREATE, with a
    // warning about the gap. `triggerParams`, when not empty, replace the trigger's parameters.
    Operation *update(const QualifiedName &trigger, const QJsonObject &feedParams,
                      QObject *context, const QJsonObject &triggerParams = {});
    // DELETE at the feed, then the trigger; a failed feed DELETE leaves a tombstone.
    Operation *remove(const QualifiedName &trigger, QObject *context);
    // PAUSE / UNPAUSE where the feed supports them (probed once, remembered in the journal),
    // otherwise a soft pause: the trigger's active rules are disabled (and remembered, so
    // unpause enables exactly those). report.data.mode is "feed", "soft" or "none".
    Operation *pause(const QualifiedName &trigger, QObject *context);
    Operation *unpause(const QualifiedName &trigger, QObject *context);

    // Re-sends DELETE to the feeds of the journal's tombstones for this client's endpoint.
    void retryTombstones(QObject *context, std::function<void(int retried, int cleared)> done);

    WhiskClient &client() { return m_client; }
    LifecycleJournal &journal() { return m_journal; }

private:
    Operation *launch(const QString &title, QList<Operation::Step> steps, QObject *context);

    WhiskClient &m_client;
    LifecycleJournal &m_journal;
};

} // namespace Feedscope

Q_DECLARE_METATYPE(Feedscope::OperationReport)
