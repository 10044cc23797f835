// SPDX-License-Identifier: GPL-3.0-or-later
#include "feedlifecycle.h"

#include "lifecyclejournal.h"
#include "whiskclient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace Feedscope {

// ---------------------------------------------------------------------------------------------
// FeedLifecycle

namespace {

using Step = Operation::Step;

// What the steps of one operation learn and share.
struct TriggerState
{
    QualifiedName requested;
    QualifiedName resolved; // namespace as the controller answered ("guest", not "_")
    Trigger trigger;
    std::optional<QualifiedName> feed;
    QString feedText; // the annotation as stored
    bool feedEntryExists = false;
    // update
    QJsonObject sendParams;
    QJsonObject oldConfig;
    bool haveOldConfig = false;
    qint64 gapStart = 0;
    // remove
    QString feedDeleteError;
    // soft pause
    QStringList disabledRules;
};

QString failureText(const QString &event, const FeedAnswer &a, const QString &feed)
{
    if (a.finished)
        return QStringLiteral("the feed %1 refused %2: %3").arg(feed, event, a.error);
    return a.error;
}

QualifiedName ruleName(const QString &key)
{
    // Trigger rule keys are "ns/name" (PROTOCOL.md 1.8).
    return QualifiedName{key.section(u'/', 0, 0), {}, key.section(u'/', 1)};
}

QString triggerNameOf(const TriggerState &s)
{
    return s.resolved.toString();
}

// Records what an interrupted or failed operation still owes for the trigger of `s`.
Tombstone leaveTombstone(const WhiskClientPtr &client,
                         const LifecycleJournalPtr &journal,
                         const TriggerState &s,
                         Tombstone::Work work,
                         const QJsonObject &params = {},
                         const QString &error = {})
{
    Tombstone t;
    // Before the controller answered, only the requested name is known ("/_/t" works too).
    t.trigger = s.resolved.name.isEmpty() ? s.requested.toString() : s.resolved.toString();
    t.feed = s.feedText;
    t.work = work;
    t.triggerUpdated = s.trigger.updated;
    t.params = params;
    t.apiHost = client->endpoint().apiHost;
    t.ns = client->endpoint().ns;
    if (!error.isEmpty()) {
        t.attempts = 1;
        t.lastError = error;
        t.lastAttempt = QDateTime::currentDateTimeUtc();
    }
    return journal->addTombstone(t);
}

Step readTriggerStep(const WhiskClientPtr &client,
                     std::shared_ptr<TriggerState> s,
                     bool requireFeed)
{
    return Step{QStringLiteral("Read trigger %1").arg(s->requested.toString()),
                [client, s, requireFeed](Operation &op, Operation::Next next) {
                    client->getTrigger(
                        s->requested, &op, [s, next, requireFeed, client](Result<Trigger> r) {
                            if (!r) {
                                next(Operation::Outcome::failure(r.error().message));
                                return;
                            }
                            s->trigger = *r;
                            s->resolved = r->qualifiedName();
                            s->feedText = r->feed();
                            if (!s->feedText.isEmpty())
                                s->feed = client->qualify(s->feedText);
                            if (requireFeed && !s->feed) {
                                next(Operation::Outcome::failure(
                                    QStringLiteral("trigger %1 has no (valid) feed annotation")
                                        .arg(s->resolved.toString())));
                                return;
                            }
                            next(Operation::Outcome::success(
                                s->feed ? QStringLiteral("feed %1").arg(s->feedText)
                                        : QStringLiteral("no feed")));
                        });
                },
                {}};
}

QStringList activeRules(const Trigger &t)
{
    QStringList rules;
    for (const RuleStatusEntry &e : t.rules) {
        if (e.active)
            rules.append(e.rule);
    }
    return rules;
}

Step setRuleStep(const WhiskClientPtr &client,
                 const QString &rule,
                 bool active,
                 std::shared_ptr<TriggerState> s)
{
    return Step{QStringLiteral("%1 rule %2")
                    .arg(active ? QStringLiteral("Enable") : QStringLiteral("Disable"), rule),
                [client, rule, active, s](Operation &op, Operation::Next next) {
                    if (active) {
                        bool attached = false;
                        for (const RuleStatusEntry &e : std::as_const(s->trigger.rules))
                            attached = attached || e.rule == rule;
                        if (!attached) {
                            op.addWarning(
                                QStringLiteral("Rule %1 is no longer attached to %2; not enabled.")
                                    .arg(rule, s->resolved.toString()));
                            next(Operation::Outcome::success(
                                QStringLiteral("skipped: no longer on the trigger")));
                            return;
                        }
                    }
                    client->setRuleActive(
                        ruleName(rule), active, &op, [next, s, rule, active](Result<Done> r) {
                            if (!r) {
                                next(Operation::Outcome::failure(r.error().message));
                                return;
                            }
                            if (!active)
                                s->disabledRules.append(rule);
                            next(Operation::Outcome::success());
                        });
                },
                [client, rule, active](Operation &op, Operation::UndoDone done) {
                    client->setRuleActive(
                        ruleName(rule), !active, &op, [done, active](Result<Done> r) {
                            done(r.ok(),
                                 r ? (active ? QStringLiteral("disabled again")
                                             : QStringLiteral("enabled again"))
                                   : r.error().message);
                        });
                }};
}

} // namespace

FeedLifecycle::FeedLifecycle(WhiskClientPtr client, LifecycleJournalPtr journal, QObject *parent)
    : QObject(parent)
    , m_client(std::move(client))
    , m_journal(std::move(journal))
{}

Operation *FeedLifecycle::launch(const QString &title, QList<Operation::Step> steps)
{
    auto *op = new Operation(title, std::move(steps));
    op->start();
    return op;
}

Operation *FeedLifecycle::create(const QualifiedName &trigger,
                                 const QualifiedName &feed,
                                 const QJsonObject &triggerParams,
                                 const QJsonObject &feedParams,
                                 const QJsonObject &triggerAnnotations)
{
    auto s = std::make_shared<TriggerState>();
    s->requested = trigger;
    s->feed = feed;
    s->feedText = feed.toString();
    const WhiskClientPtr client = m_client;
    const LifecycleJournalPtr journal = m_journal;
    QList<Step> steps;

    // 1. The trigger carries only its own parameters and the feed annotation (wsk -T / -F).
    steps.append(
        Step{QStringLiteral("Create trigger %1").arg(trigger.toString()),
             [client, s, triggerParams, triggerAnnotations](Operation &op, Operation::Next next) {
                 Trigger t;
                 t.parameters = KeyValueList::fromObject(triggerParams);
                 t.annotations = KeyValueList::fromObject(triggerAnnotations);
                 t.annotations.set(QStringLiteral("feed"), s->feedText);
                 client->putTrigger(s->requested, t, false, &op, [s, next](Result<Trigger> r) {
                     if (!r) {
                         next(Operation::Outcome::failure(r.error().message));
                         return;
                     }
                     s->trigger = *r;
                     s->resolved = r->qualifiedName();
                     next(Operation::Outcome::success());
                 });
             },
             [client, s](Operation &op, Operation::UndoDone done) {
                 client->deleteTrigger(s->resolved, &op, [done](Result<Trigger> r) {
                     done(r.ok() || r.error().httpStatus == 404,
                          r ? QStringLiteral("trigger deleted") : r.error().message);
                 });
             },
             false,
             // Interrupted anywhere after the PUT was sent: the trigger may exist, the feed may
             // hold an entry; both are owed a deletion.
             [client, journal, s] {
                 leaveTombstone(client, journal, *s, Tombstone::Work::DeleteFeedAndTrigger);
             }});

    // 2. CREATE at the feed. Undone even when it failed: a failed or timed-out CREATE may have
    // stored an entry at the provider (the CLI does the same DELETE, PROTOCOL.md 3.2 step 6).
    steps.append(Step{
        QStringLiteral("Configure the feed %1 (CREATE)").arg(feed.toString()),
        [client, s, feedParams](Operation &op, Operation::Next next) {
            invokeFeed(*client,
                       *s->feed,
                       QStringLiteral("CREATE"),
                       triggerNameOf(*s),
                       feedParams,
                       &op,
                       [s, next, &op](FeedAnswer a) {
                           op.setData(QStringLiteral("feedActivationId"), a.activationId);
                           if (!a.ok) {
                               next(Operation::Outcome::failure(
                                   failureText(QStringLiteral("CREATE"), a, s->feedText)));
                               return;
                           }
                           s->feedEntryExists = true;
                           next(Operation::Outcome::success());
                       });
        },
        [client, journal, s](Operation &op, Operation::UndoDone done) {
            invokeFeed(*client,
                       *s->feed,
                       QStringLiteral("DELETE"),
                       triggerNameOf(*s),
                       {},
                       &op,
                       [client, journal, s, done](FeedAnswer a) {
                           if (a.ok) {
                               done(true, QStringLiteral("feed entry deleted"));
                           } else if (!s->feedEntryExists) {
                               // CREATE failed: the feed most likely holds nothing to delete.
                               done(true,
                                    QStringLiteral("DELETE sent to the feed (it answered: %1)")
                                        .arg(a.error));
                           } else {
                               // The trigger goes next; the provider's entry must not be
                               // forgotten.
                               const Tombstone t = leaveTombstone(
                                   client, journal, *s, Tombstone::Work::DeleteFeed, {}, a.error);
                               done(false,
                                    QStringLiteral("feed DELETE failed: %1 (tombstone %2 kept "
                                                   "for a retry)")
                                        .arg(a.error, t.id));
                           }
                       });
        },
        true});

    return launch(
        QStringLiteral("Creating trigger %1 with feed %2").arg(trigger.toString(), feed.toString()),
        steps);
}

Operation *FeedLifecycle::read(const QualifiedName &trigger)
{
    auto s = std::make_shared<TriggerState>();
    s->requested = trigger;
    const WhiskClientPtr client = m_client;
    QList<Step> steps;
    steps.append(readTriggerStep(client, s, false));
    steps.append(Step{QStringLiteral("Read the feed (READ)"),
                      [client, s](Operation &op, Operation::Next next) {
                          op.setData(QStringLiteral("trigger"), s->trigger.raw);
                          op.setData(QStringLiteral("feed"), s->feedText);
                          if (!s->feed) {
                              next(Operation::Outcome::success(
                                  QStringLiteral("skipped: the trigger has no feed")));
                              return;
                          }
                          invokeFeed(*client,
                                     *s->feed,
                                     QStringLiteral("READ"),
                                     triggerNameOf(*s),
                                     {},
                                     &op,
                                     [s, next, &op](FeedAnswer a) {
                                         if (!a.ok) {
                                             next(Operation::Outcome::failure(failureText(
                                                 QStringLiteral("READ"), a, s->feedText)));
                                             return;
                                         }
                                         const QJsonObject result = a.result.toObject();
                                         op.setData(QStringLiteral("feedResult"), result);
                                         op.setData(QStringLiteral("config"),
                                                    result.value(QLatin1String("config")));
                                         op.setData(QStringLiteral("status"),
                                                    result.value(QLatin1String("status")));
                                         next(Operation::Outcome::success());
                                     });
                      },
                      {}});
    return launch(QStringLiteral("Reading trigger %1").arg(trigger.toString()), steps);
}

Operation *FeedLifecycle::update(const QualifiedName &trigger,
                                 const QJsonObject &feedParams,
                                 const QJsonObject &triggerParams)
{
    auto s = std::make_shared<TriggerState>();
    s->requested = trigger;
    const WhiskClientPtr client = m_client;
    QList<Step> steps;
    steps.append(readTriggerStep(client, s, !feedParams.isEmpty()));

    // Only parameters the feed declares updatable go to UPDATE (the `parameters` annotation of
    // the engine's catalog; upstream alarms rejects an UPDATE without any with 400 "no
    // updatable parameters were specified", PROTOCOL.md 4.3).
    steps.append(Step{
        QStringLiteral("Check which parameters the feed can update"),
        [client, s, feedParams, triggerParams](Operation &op, Operation::Next next) {
            if (feedParams.isEmpty()) {
                next(triggerParams.isEmpty()
                         ? Operation::Outcome::failure(QStringLiteral("nothing to update"))
                         : Operation::Outcome::success(QStringLiteral("no feed parameters given")));
                return;
            }
            client->getAction(*s->feed, false, &op, [s, next, feedParams, &op](Result<Action> r) {
                if (!r) {
                    op.addWarning(QStringLiteral("Could not read the feed action's parameter list "
                                                 "(%1); all parameters were sent.")
                                      .arg(r.error().message));
                    s->sendParams = feedParams;
                    next(Operation::Outcome::success(QStringLiteral("parameter list unknown")));
                    return;
                }
                const QJsonValue spec = r->annotations.value(QStringLiteral("parameters"));
                if (!spec.isArray()) {
                    s->sendParams = feedParams;
                    next(Operation::Outcome::success(
                        QStringLiteral("the feed declares no parameters")));
                    return;
                }
                QHash<QString, bool> updatable;
                for (const QJsonValue &p : spec.toArray()) {
                    const QJsonObject o = p.toObject();
                    updatable.insert(o.value(QLatin1String("name")).toString(),
                                     o.value(QLatin1String("updatable")).toBool(true));
                }
                QStringList dropped;
                for (auto it = feedParams.begin(); it != feedParams.end(); ++it) {
                    if (updatable.value(it.key(), false))
                        s->sendParams.insert(it.key(), it.value());
                    else
                        dropped.append(it.key()
                                       + (updatable.contains(it.key())
                                              ? QStringLiteral(" (not updatable)")
                                              : QStringLiteral(" (unknown to the feed)")));
                }
                if (s->sendParams.isEmpty()) {
                    next(Operation::Outcome::failure(
                        QStringLiteral("none of the given parameters can be updated: %1")
                            .arg(dropped.join(QStringLiteral(", ")))));
                    return;
                }
                if (!dropped.isEmpty()) {
                    op.addWarning(QStringLiteral("Not sent to the feed: %1.")
                                      .arg(dropped.join(QStringLiteral(", "))));
                }
                next(Operation::Outcome::success(
                    QStringLiteral("sending %1")
                        .arg(s->sendParams.keys().join(QStringLiteral(", ")))));
            });
        },
        {}});

    if (!triggerParams.isEmpty()) {
        steps.append(Step{
            QStringLiteral("Update the trigger's parameters"),
            [client, s, triggerParams](Operation &op, Operation::Next next) {
                Trigger t = s->trigger;
                t.parameters = KeyValueList::fromObject(triggerParams);
                t.version.clear();
                client->putTrigger(s->resolved, t, true, &op, [next](Result<Trigger> r) {
                    next(r ? Operation::Outcome::success()
                           : Operation::Outcome::failure(r.error().message));
                });
            },
            [client, s](Operation &op, Operation::UndoDone done) {
                Trigger t = s->trigger;
                t.version.clear();
                client->putTrigger(s->resolved, t, true, &op, [done](Result<Trigger> r) {
                    done(r.ok(),
                         r ? QStringLiteral("previous parameters restored") : r.error().message);
                });
            }});
    }

    // The DELETE + CREATE fallback, inserted only when the feed refuses UPDATE.
    const LifecycleJournalPtr journal = m_journal;
    const auto owedCreate = [client, journal, s] {
        QJsonObject params = s->oldConfig;
        for (auto it = s->sendParams.begin(); it != s->sendParams.end(); ++it)
            params.insert(it.key(), it.value());
        leaveTombstone(client, journal, *s, Tombstone::Work::RecreateFeed, params);
    };
    QList<Step> fallback;
    fallback.append(Step{
        QStringLiteral("Read the feed's configuration (READ)"),
        [client, s](Operation &op, Operation::Next next) {
            invokeFeed(
                *client,
                *s->feed,
                QStringLiteral("READ"),
                triggerNameOf(*s),
                {},
                &op,
                [s, next, &op](FeedAnswer a) {
                    const QJsonObject result = a.result.toObject();
                    if (!a.ok || !result.value(QLatin1String("config")).isObject()) {
                        op.addWarning(
                            QStringLiteral(
                                "The feed's current configuration could not be read (%1); it is "
                                "recreated from the new parameters alone.")
                                .arg(a.ok ? QStringLiteral("no config in the answer") : a.error));
                        next(Operation::Outcome::success(QStringLiteral("configuration unknown")));
                        return;
                    }
                    QJsonObject config = result.value(QLatin1String("config")).toObject();
                    for (const char *key : {"name", "namespace", "triggerName"})
                        config.remove(QLatin1String(key));
                    s->oldConfig = config;
                    s->haveOldConfig = true;
                    next(Operation::Outcome::success());
                });
        },
        {}});
    fallback.append(
        Step{QStringLiteral("Remove the feed entry (DELETE)"),
             [client, s](Operation &op, Operation::Next next) {
                 invokeFeed(*client,
                            *s->feed,
                            QStringLiteral("DELETE"),
                            triggerNameOf(*s),
                            {},
                            &op,
                            [s, next](FeedAnswer a) {
                                if (!a.ok) {
                                    next(Operation::Outcome::failure(
                                        failureText(QStringLiteral("DELETE"), a, s->feedText)));
                                    return;
                                }
                                s->gapStart = QDateTime::currentMSecsSinceEpoch();
                                next(Operation::Outcome::success());
                            });
             },
             [client, s](Operation &op, Operation::UndoDone done) {
                 if (!s->haveOldConfig) {
                     done(false,
                          QStringLiteral("cannot recreate the feed: its previous configuration "
                                         "is unknown"));
                     return;
                 }
                 invokeFeed(*client,
                            *s->feed,
                            QStringLiteral("CREATE"),
                            triggerNameOf(*s),
                            s->oldConfig,
                            &op,
                            [done](FeedAnswer a) {
                                done(a.ok,
                                     a.ok ? QStringLiteral("feed recreated with its previous "
                                                           "configuration")
                                          : QStringLiteral("recreating failed: %1").arg(a.error));
                            });
             },
             false,
             owedCreate});
    fallback.append(
        Step{QStringLiteral("Recreate the feed entry (CREATE)"),
             [client, s](Operation &op, Operation::Next next) {
                 QJsonObject params = s->oldConfig;
                 for (auto it = s->sendParams.begin(); it != s->sendParams.end(); ++it)
                     params.insert(it.key(), it.value());
                 invokeFeed(
                     *client,
                     *s->feed,
                     QStringLiteral("CREATE"),
                     triggerNameOf(*s),
                     params,
                     &op,
                     [s, next, &op](FeedAnswer a) {
                         if (!a.ok) {
                             next(Operation::Outcome::failure(
                                 failureText(QStringLiteral("CREATE"), a, s->feedText)));
                             return;
                         }
                         const qint64 gap = QDateTime::currentMSecsSinceEpoch() - s->gapStart;
                         op.setData(QStringLiteral("mode"), QStringLiteral("recreate"));
                         op.addWarning(
                             QStringLiteral(
                                 "The feed %1 refused UPDATE, so its entry was deleted and created "
                                 "again: events due in the gap between the DELETE and the CREATE "
                                 "(about %2 ms) were lost.")
                                 .arg(s->feedText)
                                 .arg(gap));
                         next(Operation::Outcome::success());
                     });
             },
             {},
             false,
             owedCreate});

    steps.append(Step{
        QStringLiteral("Update the feed (UPDATE)"),
        [client, s, fallback](Operation &op, Operation::Next next) {
            if (s->sendParams.isEmpty()) {
                next(Operation::Outcome::success(QStringLiteral("skipped: no feed parameters")));
                return;
            }
            invokeFeed(*client,
                       *s->feed,
                       QStringLiteral("UPDATE"),
                       triggerNameOf(*s),
                       s->sendParams,
                       &op,
                       [s, next, fallback, &op](FeedAnswer a) {
                           if (a.ok) {
                               op.setData(QStringLiteral("mode"), QStringLiteral("update"));
                               next(Operation::Outcome::success());
                               return;
                           }
                           if (a.finished && a.unsupported()) {
                               op.insertSteps(fallback);
                               next(Operation::Outcome::success(
                                   QStringLiteral("refused (%1): falling back to DELETE + CREATE")
                                       .arg(a.error)));
                               return;
                           }
                           next(Operation::Outcome::failure(
                               failureText(QStringLiteral("UPDATE"), a, s->feedText)));
                       });
        },
        {}});

    return launch(QStringLiteral("Updating trigger %1").arg(trigger.toString()), steps);
}

Operation *FeedLifecycle::remove(const QualifiedName &trigger)
{
    auto s = std::make_shared<TriggerState>();
    s->requested = trigger;
    const WhiskClientPtr client = m_client;
    const LifecycleJournalPtr journal = m_journal;

    const Step tombstoneStep{
        QStringLiteral("Keep a tombstone for the failed feed DELETE"),
        [client, journal, s](Operation &op, Operation::Next next) {
            const Tombstone t = leaveTombstone(
                client, journal, *s, Tombstone::Work::DeleteFeed, {}, s->feedDeleteError);
            op.setData(QStringLiteral("tombstone"), t.id);
            op.addWarning(QStringLiteral("The feed %1 failed to DELETE the entry of %2 (%3). The "
                                         "trigger was deleted; a tombstone keeps the feed DELETE "
                                         "to be retried, so the provider's state is not orphaned.")
                              .arg(s->feedText, t.trigger, s->feedDeleteError));
            next(Operation::Outcome::success());
        },
        {}};

    QList<Step> steps;
    steps.append(readTriggerStep(client, s, false));
    steps.append(
        Step{QStringLiteral("Delete the feed entry (DELETE)"),
             [client, s](Operation &op, Operation::Next next) {
                 if (!s->feed) {
                     next(Operation::Outcome::success(
                         QStringLiteral("skipped: the trigger has no feed")));
                     return;
                 }
                 invokeFeed(*client,
                            *s->feed,
                            QStringLiteral("DELETE"),
                            triggerNameOf(*s),
                            {},
                            &op,
                            [s, next](FeedAnswer a) {
                                if (a.ok) {
                                    next(Operation::Outcome::success());
                                    return;
                                }
                                // Unlike the CLI, do not forget it: the trigger still goes, but
                                // the DELETE is kept for a retry (a step after the trigger's
                                // deletion).
                                s->feedDeleteError
                                    = failureText(QStringLiteral("DELETE"), a, s->feedText);
                                next(Operation::Outcome::success(
                                    QStringLiteral("failed: %1; kept for a retry").arg(a.error)));
                            });
             },
             {},
             false,
             [client, journal, s] {
                 if (s->feed)
                     leaveTombstone(client, journal, *s, Tombstone::Work::DeleteFeedAndTrigger);
             }});
    steps.append(Step{QStringLiteral("Delete trigger %1").arg(trigger.toString()),
                      [client, journal, s, tombstoneStep](Operation &op, Operation::Next next) {
                          client->deleteTrigger(
                              s->resolved,
                              &op,
                              [client, journal, s, next, tombstoneStep, &op](Result<Trigger> r) {
                                  if (!r) {
                                      next(Operation::Outcome::failure(r.error().message));
                                      return;
                                  }
                                  journal->clearSoftPause(client->endpoint().apiHost,
                                                          s->resolved.toString());
                                  if (!s->feedDeleteError.isEmpty())
                                      op.insertSteps({tombstoneStep});
                                  next(Operation::Outcome::success());
                              });
                      },
                      {},
                      false,
                      [client, journal, s] {
                          if (s->feed)
                              leaveTombstone(client,
                                             journal,
                                             *s,
                                             Tombstone::Work::DeleteFeedAndTrigger,
                                             {},
                                             s->feedDeleteError);
                      }});
    return launch(QStringLiteral("Deleting trigger %1").arg(trigger.toString()), steps);
}

Operation *FeedLifecycle::pause(const QualifiedName &trigger)
{
    auto s = std::make_shared<TriggerState>();
    s->requested = trigger;
    const WhiskClientPtr client = m_client;
    const LifecycleJournalPtr journal = m_journal;

    // Soft pause: the steps are built once the trigger's active rules are known.
    auto softSteps = [client, journal, s](Operation &op) {
        QList<Step> soft;
        const QStringList rules = activeRules(s->trigger);
        for (const QString &rule : rules)
            soft.append(setRuleStep(client, rule, false, s));
        soft.append(
            Step{QStringLiteral("Remember the soft pause"),
                 [client, journal, s](Operation &op2, Operation::Next next) {
                     const QString host = client->endpoint().apiHost;
                     const QString name = s->resolved.toString();
                     QStringList rules = journal->softPausedRules(host, name);
                     for (const QString &r : std::as_const(s->disabledRules)) {
                         if (!rules.contains(r))
                             rules.append(r);
                     }
                     journal->setSoftPausedRules(host, name, rules);
                     op2.setData(QStringLiteral("rules"), QJsonArray::fromStringList(rules));
                     next(Operation::Outcome::success());
                 },
                 [client, journal, s](Operation &, Operation::UndoDone done) {
                     journal->clearSoftPause(client->endpoint().apiHost, s->resolved.toString());
                     done(true, QStringLiteral("forgotten"));
                 }});
        op.setData(QStringLiteral("mode"), QStringLiteral("soft"));
        op.addWarning(rules.isEmpty()
                          ? QStringLiteral("Soft pause: the trigger has no active rule to disable; "
                                           "events still arrive, nothing runs.")
                          : QStringLiteral("Soft pause: %1 does not pause at the feed, so its %2 "
                                           "active rule(s) were disabled instead — events still "
                                           "arrive, nothing runs.")
                                .arg(s->resolved.toString())
                                .arg(rules.size()));
        return soft;
    };

    QList<Step> steps;
    steps.append(readTriggerStep(client, s, false));
    steps.append(Step{
        QStringLiteral("Pause the feed (PAUSE)"),
        [client, journal, s, softSteps](Operation &op, Operation::Next next) {
            const QString host = client->endpoint().apiHost;
            if (!s->feed) {
                op.insertSteps(softSteps(op));
                next(Operation::Outcome::success(QStringLiteral("no feed: soft pause")));
                return;
            }
            if (journal->pauseSupport(host, s->feedText) == false) {
                op.insertSteps(softSteps(op));
                next(Operation::Outcome::success(
                    QStringLiteral("the feed does not support PAUSE (remembered): soft pause")));
                return;
            }
            invokeFeed(*client,
                       *s->feed,
                       QStringLiteral("PAUSE"),
                       triggerNameOf(*s),
                       {},
                       &op,
                       [journal, s, next, softSteps, host, &op](FeedAnswer a) {
                           if (a.ok) {
                               journal->setPauseSupport(host, s->feedText, true);
                               s->feedEntryExists = true;
                               op.setData(QStringLiteral("mode"), QStringLiteral("feed"));
                               next(Operation::Outcome::success());
                               return;
                           }
                           if (a.finished && a.unsupported()) {
                               journal->setPauseSupport(host, s->feedText, false);
                               op.insertSteps(softSteps(op));
                               next(Operation::Outcome::success(
                                   QStringLiteral("unsupported (%1): soft pause").arg(a.error)));
                               return;
                           }
                           next(Operation::Outcome::failure(
                               failureText(QStringLiteral("PAUSE"), a, s->feedText)));
                       });
        },
        [client, s](Operation &op, Operation::UndoDone done) {
            if (!s->feedEntryExists) {
                done(true, QStringLiteral("nothing paused at the feed"));
                return;
            }
            invokeFeed(
                *client,
                *s->feed,
                QStringLiteral("UNPAUSE"),
                triggerNameOf(*s),
                {},
                &op,
                [done](FeedAnswer a) { done(a.ok, a.ok ? QStringLiteral("unpaused") : a.error); });
        }});
    return launch(QStringLiteral("Pausing trigger %1").arg(trigger.toString()), steps);
}

Operation *FeedLifecycle::unpause(const QualifiedName &trigger)
{
    auto s = std::make_shared<TriggerState>();
    s->requested = trigger;
    const WhiskClientPtr client = m_client;
    const LifecycleJournalPtr journal = m_journal;

    QList<Step> steps;
    steps.append(readTriggerStep(client, s, false));
    steps.append(Step{
        QStringLiteral("Resume the feed (UNPAUSE)"),
        [client, journal, s](Operation &op, Operation::Next next) {
            const QString host = client->endpoint().apiHost;
            const QString name = s->resolved.toString();
            if (journal->isSoftPaused(host, name)) {
                const QStringList rules = journal->softPausedRules(host, name);
                QList<Step> soft;
                for (const QString &rule : rules)
                    soft.append(setRuleStep(client, rule, true, s));
                soft.append(
                    Step{QStringLiteral("Forget the soft pause"),
                         [journal, host, name](Operation &, Operation::Next next2) {
                             journal->clearSoftPause(host, name);
                             next2(Operation::Outcome::success());
                         },
                         [journal, host, name, rules](Operation &, Operation::UndoDone done) {
                             journal->setSoftPausedRules(host, name, rules);
                             done(true, QStringLiteral("remembered again"));
                         }});
                op.insertSteps(soft);
                op.setData(QStringLiteral("mode"), QStringLiteral("soft"));
                op.setData(QStringLiteral("rules"), QJsonArray::fromStringList(rules));
                next(Operation::Outcome::success(
                    QStringLiteral("soft pause recorded: enabling its rules")));
                return;
            }
            if (!s->feed || journal->pauseSupport(host, s->feedText) == false) {
                op.setData(QStringLiteral("mode"), QStringLiteral("none"));
                op.addWarning(QStringLiteral("%1 was not paused: no soft pause is recorded and "
                                             "the feed does not support UNPAUSE.")
                                  .arg(name));
                next(Operation::Outcome::success(QStringLiteral("nothing to resume")));
                return;
            }
            invokeFeed(*client,
                       *s->feed,
                       QStringLiteral("UNPAUSE"),
                       name,
                       {},
                       &op,
                       [journal, s, next, host, name, &op](FeedAnswer a) {
                           if (a.ok) {
                               journal->setPauseSupport(host, s->feedText, true);
                               op.setData(QStringLiteral("mode"), QStringLiteral("feed"));
                               next(Operation::Outcome::success());
                               return;
                           }
                           if (a.finished && a.unsupported()) {
                               journal->setPauseSupport(host, s->feedText, false);
                               op.setData(QStringLiteral("mode"), QStringLiteral("none"));
                               op.addWarning(QStringLiteral("The feed %1 does not support UNPAUSE "
                                                            "and no soft pause of %2 is recorded: "
                                                            "nothing to resume.")
                                                 .arg(s->feedText, name));
                               next(Operation::Outcome::success(QStringLiteral("unsupported")));
                               return;
                           }
                           next(Operation::Outcome::failure(
                               failureText(QStringLiteral("UNPAUSE"), a, s->feedText)));
                       });
        },
        {}});
    return launch(QStringLiteral("Resuming trigger %1").arg(trigger.toString()), steps);
}

void FeedLifecycle::retryTombstones(QObject *context, std::function<void(int, int)> done)
{
    m_journal->retryTombstones(m_client, context, std::move(done));
}

} // namespace Feedscope
