// SPDX-License-Identifier: GPL-3.0-or-later
#include "blueprintdeployer.h"

#include "feedcall.h"
#include "guardedcallback.h"
#include "whiskclient.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <utility>

namespace Feedscope {

// ---------------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------------

QString DeployReport::summary() const
{
    QString text;
    if (ok) {
        text = QStringLiteral("%1 steps done").arg(steps.size());
    } else if (cancelled) {
        text = QStringLiteral("Cancelled");
    } else if (failedStep >= 0) {
        text = QStringLiteral("Step %1 (%2) failed: %3")
                   .arg(failedStep + 1)
                   .arg(steps.value(failedStep).description, error);
    } else {
        text = error.isEmpty() ? QStringLiteral("Failed") : error;
    }
    if (!rolledBack.isEmpty())
        text += QStringLiteral("; rolled back: ") + rolledBack.join(QStringLiteral(", "));
    if (!problems.isEmpty())
        text += QStringLiteral("; problems: ") + problems.join(QStringLiteral("; "));
    return text;
}

// ---------------------------------------------------------------------------------------------
// The deployer
// ---------------------------------------------------------------------------------------------

// One deploy or teardown in progress. Every client call uses the run as its context, so a run
// destroyed with its deployer drops its late replies.
class DeployRun : public QObject
{
public:
    using Next = std::function<void(bool ok, bool absent, QString message)>;

    DeployRun(BlueprintDeployer *owner,
              WhiskClientPtr client,
              DeployPlan plan,
              bool teardown,
              QObject *context,
              BlueprintDeployer::Callback done)
        : QObject(owner)
        , m_owner(owner)
        , m_client(std::move(client))
        , m_plan(std::move(plan))
        , m_teardown(teardown)
        , m_done(context, std::move(done))
    {
        for (qsizetype i = 0; i < m_plan.steps.size(); ++i) {
            StepOutcome o;
            o.index = int(i);
            o.description
                = teardown ? m_plan.steps.at(i).undoDescription : m_plan.steps.at(i).description;
            m_report.steps.append(o);
        }
    }

    void start()
    {
        if (m_teardown)
            undo(int(m_plan.steps.size()) - 1, false);
        else
            step(0);
    }

    void cancel() { m_cancelled = true; }

private:
    QualifiedName qualified(const QString &name) const
    {
        return QualifiedName::parse(name, m_plan.ns).value_or(QualifiedName{m_plan.ns, {}, name});
    }

    void step(int i)
    {
        if (m_cancelled) {
            m_report.cancelled = true;
            m_report.error = QStringLiteral("Cancelled before step %1").arg(i + 1);
            undo(i - 1, true);
            return;
        }
        if (i >= m_plan.steps.size()) {
            m_report.ok = true;
            finish();
            return;
        }
        Q_EMIT m_owner->stepStarted(i, m_plan.steps.at(i).description);
        create(m_plan.steps.at(i).entity, [this, i](bool ok, bool maybeMade, const QString &message) {
            StepOutcome &o = m_report.steps[i];
            // A step that failed without an answer may exist all the same: the rollback
            // removes it too (a missing entity counts as removed).
            if (!ok && maybeMade)
                m_maybeMade.append(i);
            o.state = ok ? StepOutcome::State::Done : StepOutcome::State::Failed;
            o.message = message;
            Q_EMIT m_owner->stepFinished(i, ok, message);
            if (ok) {
                step(i + 1);
                return;
            }
            m_report.failedStep = i;
            m_report.error = message;
            undo(m_maybeMade.contains(i) ? i : i - 1, true);
        });
    }

    // Undoes step i, then i-1, ... 0. `rollback`: only steps this run did (a deploy's failure);
    // otherwise every step (teardown), where a missing entity counts as already removed.
    void undo(int i, bool rollback)
    {
        while (i >= 0 && rollback && m_report.steps.at(i).state != StepOutcome::State::Done
               && !m_maybeMade.contains(i))
            --i;
        if (i < 0) {
            if (m_teardown)
                m_report.ok = m_report.problems.isEmpty();
            finish();
            return;
        }
        const DeployStep &s = m_plan.steps.at(i);
        remove(s.entity, [this, i, rollback](bool ok, bool absent, const QString &message) {
            StepOutcome &o = m_report.steps[i];
            o.state = !ok      ? StepOutcome::State::UndoFailed
                      : absent ? StepOutcome::State::Absent
                               : StepOutcome::State::Undone;
            if (!message.isEmpty())
                o.message = message;
            if (rollback && ok && !absent)
                m_report.rolledBack.append(m_plan.steps.at(i).undoDescription);
            if (!ok)
                m_report.problems.append(message);
            Q_EMIT m_owner->undoFinished(i, ok, message);
            undo(i - 1, rollback);
        });
    }

    void finish()
    {
        if (m_finished)
            return;
        m_finished = true;
        m_done(m_report);
        m_owner->m_runs.removeAll(QPointer<QObject>(this));
        deleteLater();
    }

    // The feed's lifecycle call, as the CLI makes it (PROTOCOL.md 3.2): blocking, with the feed
    // parameters plus lifecycleEvent, triggerName and authKey. Success = a finished, successful
    // activation.
    void invokeFeed(const PlannedEntity &trigger,
                    const QString &event,
                    std::function<void(bool ok, QString message)> next)
    {
        QJsonObject params = trigger.feedParameters;
        params.insert(QStringLiteral("lifecycleEvent"), event);
        params.insert(QStringLiteral("triggerName"), qualifyEntityName(trigger.name, m_plan.ns));
        params.insert(QStringLiteral("authKey"), m_client->endpoint().authKey);
        InvokeOptions options;
        options.blocking = true;
        const auto feed = QualifiedName::parse(trigger.feed, m_plan.ns);
        if (!feed) {
            next(false, QStringLiteral("'%1' is not a valid feed name").arg(trigger.feed));
            return;
        }
        m_client->invoke(
            *feed, params, options, this, [next, event, trigger](Result<InvokeResult> r) {
                const QString what
                    = QStringLiteral("Feed %1 of '%2' (%3)").arg(event, trigger.name, trigger.feed);
                if (!r) {
                    next(false, what + QStringLiteral(" failed: ") + r.error().message);
                    return;
                }
                if (!r->finished) {
                    next(false,
                         what
                             + QStringLiteral(" did not finish in time (%1)").arg(r->activationId));
                    return;
                }
                const bool success = r->record ? r->record->success : false;
                if (success) {
                    next(true, {});
                    return;
                }
                QJsonValue error = r->result.toObject().value(QLatin1String("error"));
                if (error.isObject() && error.toObject().contains(QLatin1String("error")))
                    error = error.toObject().value(QLatin1String("error"));
                const QString detail
                    = error.isString()
                          ? error.toString()
                          : QString::fromUtf8(
                              QJsonDocument(r->result.toObject()).toJson(QJsonDocument::Compact));
                next(false, what + QStringLiteral(" failed: ") + detail);
            });
    }

    template<typename T>
    static std::function<void(Result<T>)> plain(Next next, bool tolerateMissing)
    {
        return [next, tolerateMissing](Result<T> r) {
            if (r) {
                next(true, false, {});
            } else if (tolerateMissing && r.error().httpStatus == 404) {
                next(true, true, QStringLiteral("already gone"));
            } else {
                next(false, false, r.error().message);
            }
        };
    }

    // The answer to a create: `maybeMade` (Next's second argument) when no answer came, so the
    // entity may have been stored. A 409 to a PUT the network stack sent twice
    // (WhiskError::resent: QNetworkAccessManager resends a request whose connection closed
    // unanswered) may answer the second copy, the first having stored the entity: one stored
    // after the PUT was sent (by the server's clock; a skewed remote clock makes this fail
    // safe, reporting the 409) is this run's own, the step done and undone by a rollback. Any
    // other 409 names someone else's entity.
    template<typename T>
    std::function<void(Result<T>)> created(const PlannedEntity &e, Next next)
    {
        const qint64 sent = QDateTime::currentMSecsSinceEpoch();
        return [this, e, next, sent](Result<T> r) {
            if (r) {
                next(true, false, {});
                return;
            }
            if (r.error().httpStatus != 409 || !r.error().resent) {
                next(false, r.error().httpStatus == 0, r.error().message);
                return;
            }
            const QString conflict = r.error().message;
            auto judge = [next, sent, conflict](qint64 updated) {
                if (updated >= sent)
                    next(true, false, QStringLiteral("stored by the first of two sends"));
                else
                    next(false, false, conflict);
            };
            const QualifiedName q = qualified(e.name);
            switch (e.kind) {
            case PlannedEntity::Kind::Package:
            case PlannedEntity::Kind::Binding:
                m_client->getPackage(
                    q, this, [judge](Result<Package> g) { judge(g ? g->updated : 0); });
                return;
            case PlannedEntity::Kind::Action:
                m_client->getAction(
                    q, false, this, [judge](Result<Action> g) { judge(g ? g->updated : 0); });
                return;
            case PlannedEntity::Kind::Rule:
                m_client->getRule(q, this, [judge](Result<Rule> g) { judge(g ? g->updated : 0); });
                return;
            case PlannedEntity::Kind::Trigger:
                m_client->getTrigger(
                    q, this, [judge](Result<Trigger> g) { judge(g ? g->updated : 0); });
                return;
            }
        };
    }

    // A feed's DELETE, with whether the provider holds no entry any more (done, or a 404 from
    // the feed: a DELETE resent after its answer was lost).
    void deleteAtFeed(const PlannedEntity &trigger, std::function<void(bool gone, QString)> next)
    {
        const auto feed = QualifiedName::parse(trigger.feed, m_plan.ns);
        if (!feed) {
            next(false, QStringLiteral("'%1' is not a valid feed name").arg(trigger.feed));
            return;
        }
        Feedscope::invokeFeed(*m_client,
                              *feed,
                              QStringLiteral("DELETE"),
                              qualifyEntityName(trigger.name, m_plan.ns),
                              trigger.feedParameters,
                              this,
                              [next, trigger](FeedAnswer a) {
                                  if (a.ok || a.feedStatusCode == 404) {
                                      next(true, {});
                                      return;
                                  }
                                  next(false,
                                       QStringLiteral("Feed DELETE of '%1' (%2) failed: %3")
                                           .arg(trigger.name, trigger.feed, a.error));
                              });
    }

    void create(const PlannedEntity &e, Next next)
    {
        const QualifiedName q = qualified(e.name);
        switch (e.kind) {
        case PlannedEntity::Kind::Package:
        case PlannedEntity::Kind::Binding:
            m_client->putPackage(q, e.package(), false, this, created<Package>(e, next));
            return;
        case PlannedEntity::Kind::Action:
            m_client->putAction(q, e.action(), false, this, created<Action>(e, next));
            return;
        case PlannedEntity::Kind::Rule: {
            const Rule r = e.rule();
            m_client->putRule(q, r.trigger, r.action, false, this, created<Rule>(e, next));
            return;
        }
        case PlannedEntity::Kind::Trigger:
            m_client->putTrigger(
                q,
                e.trigger(),
                false,
                this,
                created<Trigger>(e, [this, e, q, next](bool ok, bool maybeMade, QString message) {
                    if (!ok) {
                        next(false, maybeMade, message);
                        return;
                    }
                    if (!e.hasFeed()) {
                        next(true, false, {});
                        return;
                    }
                    invokeFeed(
                        e, QStringLiteral("CREATE"), [this, e, q, next](bool ok, QString msg) {
                            if (ok) {
                                next(true, false, {});
                                return;
                            }
                            // Roll back as the CLI does: the feed's DELETE, then the trigger, so
                            // a failed CREATE leaves neither trigger nor provider state. Unlike
                            // the CLI, a DELETE that failed keeps the trigger (its entry must
                            // not be orphaned): the step counts as maybe made, so the rollback
                            // tries its removal again.
                            deleteAtFeed(
                                e, [this, q, msg, next](bool gone, QString deleteError) {
                                    if (!gone) {
                                        next(false,
                                             true,
                                             msg + QStringLiteral(" (") + deleteError
                                                 + QStringLiteral("; the trigger was kept)"));
                                        return;
                                    }
                                    m_client->deleteTrigger(
                                        q, this, [msg, next](Result<Trigger> d) {
                                            // A trigger still there is removed by the rollback.
                                            next(false,
                                                 !d.ok(),
                                                 msg
                                                     + (d ? QStringLiteral(" (trigger removed)")
                                                          : QStringLiteral(
                                                                " (removing the trigger failed: ")
                                                                + d.error().message + u')'));
                                        });
                                });
                        });
                }));
            return;
        }
    }

    void remove(const PlannedEntity &e, Next next)
    {
        const QualifiedName q = qualified(e.name);
        switch (e.kind) {
        case PlannedEntity::Kind::Package:
        case PlannedEntity::Kind::Binding:
            m_client->deletePackage(q, false, this, plain<Package>(next, true));
            return;
        case PlannedEntity::Kind::Action:
            m_client->deleteAction(q, this, plain<Action>(next, true));
            return;
        case PlannedEntity::Kind::Rule:
            m_client->deleteRule(q, this, plain<Rule>(next, true));
            return;
        case PlannedEntity::Kind::Trigger:
            if (!e.hasFeed()) {
                m_client->deleteTrigger(q, this, plain<Trigger>(next, true));
                return;
            }
            // As `wsk trigger delete` (PROTOCOL.md 3.3): only an existing trigger has a feed to
            // tell, and the feed's DELETE comes first. Unlike the CLI, a failed DELETE keeps the
            // trigger: deleting it would orphan the provider's entry (firing into nothing, with
            // nothing left to name it), while a kept trigger lets the teardown run again.
            m_client->getTrigger(q, this, [this, e, q, next](Result<Trigger> got) {
                if (!got && got.error().httpStatus == 404) {
                    next(true, true, QStringLiteral("already gone"));
                    return;
                }
                deleteAtFeed(e, [this, q, next](bool gone, QString msg) {
                    if (!gone) {
                        next(false,
                             false,
                             msg
                                 + QStringLiteral("; the trigger was kept so that its feed entry "
                                                  "is not orphaned (run the teardown again)"));
                        return;
                    }
                    m_client->deleteTrigger(q, this, [next](Result<Trigger> d) {
                        if (!d && d.error().httpStatus != 404) {
                            next(false, false, d.error().message);
                            return;
                        }
                        next(true, false, {});
                    });
                });
            });
            return;
        }
    }

    BlueprintDeployer *m_owner;
    WhiskClientPtr m_client;
    DeployPlan m_plan;
    bool m_teardown;
    GuardedCallback<DeployReport> m_done;
    DeployReport m_report;
    bool m_cancelled = false;
    bool m_finished = false;
    QList<int> m_maybeMade; // failed steps whose entity may exist (no answer came)
};

BlueprintDeployer::BlueprintDeployer(WhiskClientPtr client, QObject *parent)
    : QObject(parent)
    , m_client(std::move(client))
{}

BlueprintDeployer::~BlueprintDeployer() = default;

void BlueprintDeployer::deploy(const DeployPlan &plan, QObject *context, Callback done)
{
    if (!m_client) {
        DeployReport report;
        report.error = QStringLiteral("No OpenWhisk client");
        done(report);
        return;
    }
    auto *run = new DeployRun(this, m_client, plan, false, context, std::move(done));
    m_runs.append(run);
    run->start();
}

void BlueprintDeployer::teardown(const DeployPlan &plan, QObject *context, Callback done)
{
    if (!m_client) {
        DeployReport report;
        report.error = QStringLiteral("No OpenWhisk client");
        done(report);
        return;
    }
    auto *run = new DeployRun(this, m_client, plan, true, context, std::move(done));
    m_runs.append(run);
    run->start();
}

void BlueprintDeployer::cancel()
{
    for (const QPointer<QObject> &run : std::as_const(m_runs)) {
        if (run)
            static_cast<DeployRun *>(run.data())->cancel();
    }
}

bool BlueprintDeployer::isBusy() const
{
    for (const QPointer<QObject> &run : m_runs) {
        if (run)
            return true;
    }
    return false;
}

} // namespace Feedscope
