// SPDX-License-Identifier: GPL-3.0-or-later
#include "operation.h"

#include <QPointer>
#include <QTimer>

#include <memory>

namespace Feedscope {

// ---------------------------------------------------------------------------------------------
// OperationReport, Operation

QString OperationReport::summary() const
{
    QString text = title + QStringLiteral(": ");
    if (ok)
        text += QStringLiteral("done.");
    else if (cancelled)
        text += QStringLiteral("cancelled.");
    else
        text += QStringLiteral("failed at step %1 — %2.").arg(failedStep + 1).arg(errorMessage);
    if (!undone.isEmpty())
        text += QStringLiteral(" Undone: ") + undone.join(QStringLiteral("; ")) + u'.';
    if (!undoErrors.isEmpty())
        text += QStringLiteral(" Could not undo: ") + undoErrors.join(QStringLiteral("; ")) + u'.';
    if (!warnings.isEmpty())
        text += QStringLiteral(" Warnings: ") + warnings.join(QStringLiteral("; "));
    return text;
}

namespace {

// Started and unfinished operations (GUI thread only, like every Operation).
QList<Operation *> &runningOperations()
{
    static QList<Operation *> operations;
    return operations;
}

} // namespace

Operation::Operation(const QString &title, QList<Step> steps, QObject *parent)
    : QObject(parent)
    , m_steps(std::move(steps))
{
    m_report.title = title;
}

Operation::~Operation()
{
    if (m_started && !m_finished)
        abandon();
    runningOperations().removeAll(this);
}

QList<Operation *> Operation::running()
{
    return runningOperations();
}

void Operation::abandon()
{
    // What may exist and is not undone: the step whose undo is in flight, the running step,
    // then the done steps, newest first.
    QList<int> owed;
    if (m_undoing >= 0)
        owed.append(m_undoing);
    if (m_running && m_current >= 0 && !m_undoStack.contains(m_current) && m_undoing < 0)
        owed.append(m_current);
    for (qsizetype i = m_undoStack.size() - 1; i >= 0; --i)
        owed.append(m_undoStack.at(i));
    for (const int index : std::as_const(owed)) {
        if (index < m_steps.size() && m_steps.at(index).abandon)
            m_steps.at(index).abandon();
    }
}

QStringList Operation::stepNames() const
{
    QStringList names;
    for (const Step &s : m_steps)
        names.append(s.name);
    return names;
}

void Operation::start()
{
    if (m_started)
        return;
    m_started = true;
    runningOperations().append(this);
    QTimer::singleShot(0, this, [this] {
        m_running = true;
        runStep(0);
    });
}

void Operation::cancel()
{
    if (m_finished || m_cancelRequested)
        return;
    m_cancelRequested = true;
    // Not started yet: nothing to wait for. Running: runStep() sees the flag after the
    // current step.
    if (!m_started) {
        m_started = true;
        runningOperations().append(this);
        QTimer::singleShot(0, this, [this] { runStep(0); });
    }
}

void Operation::insertSteps(const QList<Step> &steps)
{
    const qsizetype at = qBound(qsizetype(0), qsizetype(m_current + 1), m_steps.size());
    for (qsizetype i = 0; i < steps.size(); ++i)
        m_steps.insert(at + i, steps.at(i));
}

void Operation::runStep(int index)
{
    if (m_cancelRequested) {
        m_report.cancelled = true;
        m_report.errorMessage
            = index < m_steps.size()
                  ? QStringLiteral("cancelled before '%1'").arg(m_steps[index].name)
                  : QStringLiteral("cancelled after the last step");
        rollback();
        return;
    }
    if (index >= m_steps.size()) {
        m_report.ok = true;
        finish();
        return;
    }
    m_current = index;
    Q_EMIT progress(index, int(m_steps.size()), m_steps[index].name);
    auto called = std::make_shared<bool>(false);
    QPointer<Operation> self(this);
    const Step step = m_steps[index];
    step.run(*this, [self, index, called](Outcome outcome) {
        if (*called || !self)
            return;
        *called = true;
        // Queued: a step that answers synchronously does not recurse into the next one.
        QTimer::singleShot(0, self, [self, index, outcome] {
            if (self)
                self->stepDone(index, outcome);
        });
    });
}

void Operation::stepDone(int index, const Outcome &outcome)
{
    const Step &step = m_steps[index];
    if (outcome.ok) {
        m_report.completed.append(
            outcome.note.isEmpty() ? step.name : step.name + QStringLiteral(" — ") + outcome.note);
        if (step.undo)
            m_undoStack.append(index);
        runStep(index + 1);
        return;
    }
    m_report.failedStep = index;
    m_report.failedStepName = step.name;
    m_report.errorMessage = step.name + QStringLiteral(": ") + outcome.error;
    if (step.undo && step.undoEvenIfFailed)
        m_undoStack.append(index);
    rollback();
}

void Operation::rollback()
{
    m_report.steps = stepNames();
    undoNext();
}

void Operation::undoNext()
{
    if (m_undoStack.isEmpty()) {
        finish();
        return;
    }
    const int index = m_undoStack.takeLast();
    m_undoing = index;
    const Step step = m_steps[index];
    Q_EMIT progress(index, int(m_steps.size()), QStringLiteral("Undoing: ") + step.name);
    auto called = std::make_shared<bool>(false);
    QPointer<Operation> self(this);
    step.undo(*this, [self, called, name = step.name](bool ok, const QString &note) {
        if (*called || !self)
            return;
        *called = true;
        self->m_undoing = -1;
        const QString line = note.isEmpty() ? name : name + QStringLiteral(" — ") + note;
        if (ok)
            self->m_report.undone.append(line);
        else
            self->m_report.undoErrors.append(line);
        QTimer::singleShot(0, self, [self] {
            if (self)
                self->undoNext();
        });
    });
}

void Operation::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_running = false;
    runningOperations().removeAll(this);
    m_report.steps = stepNames();
    Q_EMIT finished(m_report);
    if (m_autoDelete)
        deleteLater();
}

} // namespace Feedscope
