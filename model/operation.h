// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace Feedscope {

// What a finished Operation did: whether it succeeded, which step failed and why, what was
// rolled back, and what the user should know even on success (STYLE.md 14, 16).
struct OperationReport
{
    QString title; // "Creating trigger /guest/t with feed /whisk.system/alarms/alarm"
    bool ok = false;
    bool cancelled = false;
    int failedStep = -1; // index into steps; -1 when none failed
    QString failedStepName;
    QString errorMessage;   // "Configure the feed (CREATE): cron pattern 'x' is not valid"
    QStringList steps;      // every step of the final list, in order
    QStringList completed;  // "name" or "name — note"
    QStringList undone;     // undo actions that worked, newest first
    QStringList undoErrors; // undo actions that did not
    QStringList warnings;
    QJsonObject data; // operation-specific results (read: trigger, config, status)

    // One readable paragraph for a status bar or log panel.
    QString summary() const;
};

// A cancellable list of asynchronous steps (STYLE.md 14). Steps run one after the other; the
// first failure stops the list and the undo actions of the steps done so far run newest first.
// cancel() lets the running step finish, then undoes. A step may insert further steps right
// after itself (e.g. one "Disable rule" per rule) so the list stays explicit in the report.
// The operation is the context object of every request its steps make: deleting it drops
// their late answers. Unless setAutoDelete(false), it deletes itself after finished().
//
// Lifetime: an operation is meant to run to its end (finished, or rolled back). One that is
// destroyed before that (the application quits while it runs) cannot wait for its undo, so it
// calls the `abandon` hook of every step whose effect may exist and is not undone — the running
// step and the done steps — newest first; the hooks record what is owed (a tombstone) instead
// of leaving half-made state behind. running() lists the operations alive and unfinished, so
// an application can let them finish before it quits.
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
        // Called synchronously when the operation is destroyed while this step runs, or after
        // it was done and before its undo finished (see the class comment).
        std::function<void()> abandon = {};
    };

    Operation(const QString &title, QList<Step> steps, QObject *parent = nullptr);
    ~Operation() override;

    // Starts on the next event-loop turn, so callers connect first. Idempotent.
    void start();
    void cancel();
    void setAutoDelete(bool autoDelete) { m_autoDelete = autoDelete; }

    bool isFinished() const { return m_finished; }
    // Operations that started and have not finished, oldest first.
    static QList<Operation *> running();
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

    void abandon();

    QList<Step> m_steps;
    QList<int> m_undoStack;
    int m_undoing = -1; // the step whose undo is in flight
    OperationReport m_report;
    int m_current = -1;
    bool m_started = false;
    bool m_running = false;
    bool m_cancelRequested = false;
    bool m_finished = false;
    bool m_autoDelete = true;
};

} // namespace Feedscope

Q_DECLARE_METATYPE(Feedscope::OperationReport)
