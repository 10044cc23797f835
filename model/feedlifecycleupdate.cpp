// SPDX-License-Identifier: GPL-3.0-or-later
#include "feedlifecycle.h"

#include "feedlifecyclesteps.h"

#include <QDateTime>

#include <memory>

// FeedLifecycle::update: the longest of the operations, with its DELETE + CREATE fallback and
// rollback (PROTOCOL.md 3.3).
namespace Feedscope {

using namespace FeedSteps;

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

} // namespace Feedscope
