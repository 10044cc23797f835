// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "blueprints.h"
#include "whiskclient.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <functional>

namespace Feedscope {

// What happened to one step of a deploy or a teardown.
struct StepOutcome
{
    enum class State { Pending, Done, Failed, Undone, UndoFailed, Absent, Skipped };

    int index = -1;
    QString description;
    State state = State::Pending;
    QString message;
};

struct DeployReport
{
    bool ok = false;
    bool cancelled = false;
    int failedStep = -1;      // deploy: the step that failed; -1 when none
    QString error;            // "Creating rule 'orders-rule' failed: 400 ..."
    QList<StepOutcome> steps; // one per plan step
    QStringList rolledBack;   // descriptions of the undos run after a failure
    QStringList problems;     // undo failures (deploy rollback or teardown)

    QString summary() const;
};

// Runs a DeployPlan on an OpenWhisk API through a WhiskClient (STYLE.md 14): the steps in order,
// stopping at the first failure and then undoing the steps already done, newest first. A feed
// trigger is created as the CLI does (PUT with the `feed` annotation, blocking invoke of the
// feed with lifecycleEvent CREATE, triggerName, authKey and the feed parameters; on failure
// DELETE and removal of the trigger) and removed with the feed's DELETE before the trigger.
// teardown() undoes every step of a plan, newest first, treating 404s as already gone.
// Several runs may be active at once; the callback is dropped when `context` dies.
class BlueprintDeployer : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(DeployReport)>;

    explicit BlueprintDeployer(WhiskClientPtr client, QObject *parent = nullptr);
    ~BlueprintDeployer() override;

    void deploy(const DeployPlan &plan, QObject *context, Callback done);
    void teardown(const DeployPlan &plan, QObject *context, Callback done);
    // Stops every active run before its next step; a deploy then undoes what it did.
    void cancel();
    bool isBusy() const;

Q_SIGNALS:
    void stepStarted(int index, const QString &description);
    void stepFinished(int index, bool ok, const QString &message);
    void undoFinished(int index, bool ok, const QString &message);

private:
    friend class DeployRun;
    WhiskClientPtr m_client;
    QList<QPointer<QObject>> m_runs;
};

} // namespace Feedscope
