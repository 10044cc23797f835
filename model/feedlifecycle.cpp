// SPDX-License-Identifier: GPL-3.0-or-later
#include "feedlifecycle.h"

#include "feedlifecyclesteps.h"
#include "feedparameters.h"

#include <QDateTime>

#include <memory>

namespace Feedscope {

using namespace FeedSteps;

namespace {

// A 409 to a PUT that the network stack sent twice (WhiskError::resent) may answer the second
// copy, the first having stored the trigger and lost its answer — or the first copy went to a
// connection the server had closed, and the trigger is someone else's. A trigger with this feed
// annotation stored after the PUT was sent (by the server's clock: a skewed remote clock makes
// this fail safe, reporting the 409) is this operation's own, so that a rollback removes it.
void adoptReplayedTrigger(const WhiskClientPtr &client,
                          const std::shared_ptr<TriggerState> &s,
                          qint64 sent,
                          const QString &conflict,
                          Operation &op,
                          const Operation::Next &next)
{
    client->getTrigger(s->requested, &op, [s, sent, conflict, next](Result<Trigger> r) {
        if (!r || r->feed() != s->feedText || r->updated < sent) {
            next(Operation::Outcome::failure(conflict));
            return;
        }
        s->trigger = *r;
        s->resolved = r->qualifiedName();
        next(Operation::Outcome::success(
            QStringLiteral("stored by a resent PUT whose first answer was lost")));
    });
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
                 const qint64 sent = QDateTime::currentMSecsSinceEpoch();
                 client->putTrigger(s->requested, t, false, &op, [client, s, next, sent, &op](
                                                                     Result<Trigger> r) {
                     if (!r && r.error().httpStatus == 409 && r.error().resent) {
                         adoptReplayedTrigger(client, s, sent, r.error().message, op, next);
                         return;
                     }
                     if (!r) {
                         // No answer at all: the PUT may have been stored all the same.
                         s->triggerUnanswered = r.error().httpStatus == 0;
                         next(Operation::Outcome::failure(r.error().message));
                         return;
                     }
                     s->trigger = *r;
                     s->resolved = r->qualifiedName();
                     next(Operation::Outcome::success());
                 });
             },
             [client, s](Operation &op, Operation::UndoDone done) {
                 // Undone after its own failure only when that failure had no answer (a 409
                 // names someone else's trigger); the name is then the one requested.
                 const bool made = !s->resolved.name.isEmpty();
                 if (!made && !s->triggerUnanswered) {
                     done(true, QStringLiteral("nothing was created"));
                     return;
                 }
                 client->deleteTrigger(made ? s->resolved : s->requested,
                                       &op,
                                       [done](Result<Trigger> r) {
                                           done(r.ok() || r.error().httpStatus == 404,
                                                r ? QStringLiteral("trigger deleted")
                                                  : r.error().httpStatus == 404
                                                        ? QStringLiteral("no trigger was stored")
                                                        : r.error().message);
                                       });
             },
             // A PUT whose answer was lost may have stored the trigger.
             true,
             // Interrupted anywhere after the PUT was sent: the trigger may exist, the feed may
             // hold an entry; both are owed a deletion.
             [client, journal, s] {
                 leaveTombstone(client, journal, *s, Tombstone::Work::DeleteFeedAndTrigger);
             }});

    // 2. CREATE at the feed. Undone even when it failed: a failed or timed-out CREATE may have
    // stored an entry at the provider (the CLI does the same DELETE, PROTOCOL.md 3.2 step 6).
    steps.append(Step{
        QStringLiteral("Configure the feed %1 (CREATE)").arg(feed.toString()),
        createAtFeed(client, journal, s, feedParams),
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
    const LifecycleJournalPtr journal = m_journal;
    QList<Step> steps;
    steps.append(readTriggerStep(client, s, false));
    steps.append(Step{
        QStringLiteral("Read the feed (READ)"),
        [client, journal, s](Operation &op, Operation::Next next) {
            op.setData(QStringLiteral("trigger"), s->trigger.raw);
            op.setData(QStringLiteral("feed"), s->feedText);
            if (!s->feed) {
                next(Operation::Outcome::success(
                    QStringLiteral("skipped: the trigger has no feed")));
                return;
            }
            invokeFeed(
                *client,
                *s->feed,
                QStringLiteral("READ"),
                triggerNameOf(*s),
                {},
                &op,
                [client, journal, s, next, &op](FeedAnswer a) {
                    recordFeedCall(op, QStringLiteral("READ"), triggerNameOf(*s), {}, a);
                    if (!a.ok) {
                        next(Operation::Outcome::failure(
                            failureText(QStringLiteral("READ"), a, s->feedText)));
                        return;
                    }
                    const QJsonObject result = a.result.toObject();
                    op.setData(QStringLiteral("feedResult"), result);
                    op.setData(QStringLiteral("config"), result.value(QLatin1String("config")));
                    op.setData(QStringLiteral("status"), result.value(QLatin1String("status")));
                    rememberFeedTrigger(
                        client,
                        journal,
                        *s,
                        feedParamsOfConfig(result.value(QLatin1String("config")).toObject()));
                    next(Operation::Outcome::success());
                });
        },
        {}});
    return launch(QStringLiteral("Reading trigger %1").arg(trigger.toString()), steps);
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
    steps.append(Step{
        QStringLiteral("Delete the feed entry (DELETE)"),
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
                       [s, next, &op](FeedAnswer a) {
                           recordFeedCall(op, QStringLiteral("DELETE"), triggerNameOf(*s), {}, a);
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
    steps.append(Step{
        QStringLiteral("Delete trigger %1").arg(trigger.toString()),
        [client, journal, s, tombstoneStep](Operation &op, Operation::Next next) {
            client->deleteTrigger(
                s->resolved,
                &op,
                [client, journal, s, next, tombstoneStep, &op](Result<Trigger> r) {
                    if (!r) {
                        // The feed was told to DELETE (or owes it): a trigger left without its
                        // feed entry is half-made, so the rest of the deletion is owed. (Without
                        // an answer the trigger may be gone already; the retry finds out.)
                        if (s->feed) {
                            const Tombstone t = leaveTombstone(client,
                                                               journal,
                                                               *s,
                                                               Tombstone::Work::DeleteFeedAndTrigger,
                                                               {},
                                                               s->feedDeleteError);
                            op.setData(QStringLiteral("tombstone"), t.id);
                            op.addWarning(QStringLiteral("The feed entry of %1 was deleted but "
                                                         "the trigger was not; a tombstone keeps "
                                                         "its deletion to be retried.")
                                              .arg(t.trigger));
                        }
                        next(Operation::Outcome::failure(r.error().message));
                        return;
                    }
                    journal->clearSoftPause(client->endpoint().apiHost, s->resolved.toString());
                    // Its feed has its DELETE, or a tombstone owes it.
                    journal->forgetFeedTrigger(client->endpoint().apiHost, s->resolved.toString());
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

void FeedLifecycle::retryTombstones(QObject *context, std::function<void(int, int)> done)
{
    m_journal->retryTombstones(m_client, context, std::move(done));
}

} // namespace Feedscope
