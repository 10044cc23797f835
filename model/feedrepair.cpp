// SPDX-License-Identifier: GPL-3.0-or-later
#include "feedlifecycle.h"

#include "feedlifecyclesteps.h"

#include <memory>

// The fixes of the feed health panels as FeedLifecycle operations: each first checks that the
// problem an orphan scan found still exists (the namespace may have changed since), then
// repairs it, so a fix never destroys something that works again.
namespace Feedscope {

using namespace FeedSteps;

namespace {

// Succeeds when `trigger` is gone (404); a trigger that exists again owns its feed entry.
Step triggerGoneStep(const WhiskClientPtr &client, std::shared_ptr<TriggerState> s)
{
    return Step{QStringLiteral("Check that trigger %1 is gone").arg(s->resolved.toString()),
                [client, s](Operation &op, Operation::Next next) {
                    client->getTrigger(s->resolved, &op, [s, next](Result<Trigger> r) {
                        if (r) {
                            next(Operation::Outcome::failure(
                                QStringLiteral("trigger %1 exists (again): the feed entry is its "
                                               "own, nothing is left over")
                                    .arg(s->resolved.toString())));
                        } else if (r.error().httpStatus == 404) {
                            next(Operation::Outcome::success(QStringLiteral("gone")));
                        } else {
                            next(Operation::Outcome::failure(r.error().message));
                        }
                    });
                },
                {}};
}

// Re-does the work of one tombstone; fails only when it cannot be found.
Step retryStep(const WhiskClientPtr &client,
               const LifecycleJournalPtr &journal,
               const Tombstone &tombstone,
               std::shared_ptr<QStringList> stillOwed)
{
    return Step{
        QStringLiteral("Retry: %1").arg(tombstone.describe()),
        [client, journal, id = tombstone.id, stillOwed](Operation &op, Operation::Next next) {
            journal->retryTombstones(
                client,
                &op,
                [journal, client, id, stillOwed, next](int retried, int) {
                    if (retried == 0) {
                        next(Operation::Outcome::success(QStringLiteral("nothing owed any more")));
                        return;
                    }
                    for (const Tombstone &t :
                         journal->tombstones(client->endpoint().apiHost, client->endpoint().ns)) {
                        if (t.id == id) {
                            stillOwed->append(t.trigger + QStringLiteral(": ") + t.lastError);
                            next(Operation::Outcome::success(
                                QStringLiteral("still owed: %1").arg(t.lastError)));
                            return;
                        }
                    }
                    next(Operation::Outcome::success(QStringLiteral("done")));
                },
                {id});
        },
        {}};
}

} // namespace

Operation *FeedLifecycle::removeLeftover(const QualifiedName &trigger, const QString &feed)
{
    auto s = std::make_shared<TriggerState>();
    s->requested = trigger;
    s->resolved = trigger;
    s->feedText = feed;
    s->feed = m_client->qualify(feed);
    const WhiskClientPtr client = m_client;
    const LifecycleJournalPtr journal = m_journal;
    QList<Step> steps;
    steps.append(triggerGoneStep(client, s));
    steps.append(Step{
        QStringLiteral("Delete the leftover entry at %1 (DELETE)").arg(feed),
        [client, journal, s](Operation &op, Operation::Next next) {
            const QString host = client->endpoint().apiHost;
            if (!s->feed) {
                next(Operation::Outcome::failure(
                    QStringLiteral("'%1' is not a feed name").arg(s->feedText)));
                return;
            }
            invokeFeed(*client,
                       *s->feed,
                       QStringLiteral("DELETE"),
                       triggerNameOf(*s),
                       {},
                       &op,
                       [client, journal, s, next, host, &op](FeedAnswer a) {
                           recordFeedCall(op, QStringLiteral("DELETE"), triggerNameOf(*s), {}, a);
                           // A 404 from the provider: it had nothing left (PROTOCOL.md 4.3,
                           // DELETE tolerates a deleted trigger).
                           if (a.ok || a.feedStatusCode == 404) {
                               journal->forgetFeedTrigger(host, triggerNameOf(*s));
                               next(Operation::Outcome::success(
                                   a.ok ? QStringLiteral("the provider's entry is deleted")
                                        : QStringLiteral("the provider had nothing left")));
                               return;
                           }
                           // Not forgotten: a tombstone owes the DELETE from now on.
                           const Tombstone t = leaveTombstone(
                               client,
                               journal,
                               *s,
                               Tombstone::Work::DeleteFeed,
                               {},
                               failureText(QStringLiteral("DELETE"), a, s->feedText));
                           journal->forgetFeedTrigger(host, triggerNameOf(*s));
                           op.setData(QStringLiteral("tombstone"), t.id);
                           next(Operation::Outcome::failure(
                               QStringLiteral("%1 (a tombstone keeps the DELETE for a retry)")
                                   .arg(failureText(QStringLiteral("DELETE"), a, s->feedText))));
                       });
        },
        {}});
    return launch(QStringLiteral("Deleting the leftover feed entry of %1").arg(trigger.toString()),
                  steps);
}

Operation *FeedLifecycle::recreateFeed(const QualifiedName &trigger, const QJsonObject &feedParams)
{
    auto s = std::make_shared<TriggerState>();
    s->requested = trigger;
    const WhiskClientPtr client = m_client;
    const LifecycleJournalPtr journal = m_journal;
    QList<Step> steps;
    steps.append(readTriggerStep(client, s, true));
    // The scan's finding may be stale or may have come from a passing failure (a timeout, a
    // 429): only a provider that answers for itself that it has no usable entry gets a CREATE,
    // so a working entry is never replaced (and, on a failed CREATE, deleted).
    steps.append(Step{QStringLiteral("Check that the provider has no usable entry (READ)"),
                      [client, s](Operation &op, Operation::Next next) {
                          invokeFeed(*client,
                                     *s->feed,
                                     QStringLiteral("READ"),
                                     triggerNameOf(*s),
                                     {},
                                     &op,
                                     [next](FeedAnswer a) {
                                         if (a.ok) {
                                             next(Operation::Outcome::failure(
                                                 QStringLiteral("the provider has a working "
                                                                "entry (again): nothing to "
                                                                "re-create")));
                                         } else if (!a.finished || a.httpStatus != 0
                                                    || a.feedStatusCode == 429) {
                                             next(Operation::Outcome::failure(
                                                 QStringLiteral("could not ask the provider "
                                                                "(%1); nothing was changed")
                                                     .arg(a.error)));
                                         } else {
                                             next(Operation::Outcome::success(a.error));
                                         }
                                     });
                      },
                      {}});
    // Undone even when it failed, like create's: a failed CREATE may have stored something,
    // and before it the provider held nothing (checked above).
    steps.append(Step{QStringLiteral("Configure the feed again (CREATE)"),
                      createAtFeed(client, journal, s, feedParams),
                      [client, s](Operation &op, Operation::UndoDone done) {
                          invokeFeed(
                              *client,
                              *s->feed,
                              QStringLiteral("DELETE"),
                              triggerNameOf(*s),
                              {},
                              &op,
                              [done](FeedAnswer a) {
                                  done(true,
                                       a.ok ? QStringLiteral("feed entry deleted")
                                            : QStringLiteral("DELETE sent (%1)").arg(a.error));
                              });
                      },
                      true});
    return launch(QStringLiteral("Re-creating the feed entry of %1").arg(trigger.toString()),
                  steps);
}

Operation *FeedLifecycle::removeDanglingRule(const QualifiedName &rule)
{
    auto action = std::make_shared<QualifiedName>();
    const WhiskClientPtr client = m_client;
    QList<Step> steps;
    steps.append(Step{
        QStringLiteral("Read rule %1").arg(rule.toString()),
        [client, rule, action](Operation &op, Operation::Next next) {
            client->getRule(rule, &op, [client, action, next](Result<Rule> r) {
                if (!r) {
                    next(Operation::Outcome::failure(r.error().message));
                    return;
                }
                const auto name = client->qualify(r->action);
                if (!name) {
                    next(Operation::Outcome::failure(
                        QStringLiteral("the rule names no valid action ('%1')").arg(r->action)));
                    return;
                }
                *action = *name;
                next(
                    Operation::Outcome::success(QStringLiteral("action %1").arg(name->toString())));
            });
        },
        {}});
    steps.append(Step{QStringLiteral("Check that its action is gone"),
                      [client, action](Operation &op, Operation::Next next) {
                          client->getAction(*action, false, &op, [action, next](Result<Action> r) {
                              // Only a 404 proves it gone; anything else leaves the rule alone.
                              if (r)
                                  next(Operation::Outcome::failure(
                                      QStringLiteral("action %1 exists (again): the rule works")
                                          .arg(action->toString())));
                              else if (r.error().httpStatus == 404)
                                  next(Operation::Outcome::success(QStringLiteral("gone")));
                              else
                                  next(Operation::Outcome::failure(r.error().message));
                          });
                      },
                      {}});
    steps.append(Step{QStringLiteral("Delete rule %1").arg(rule.toString()),
                      [client, rule](Operation &op, Operation::Next next) {
                          client->deleteRule(rule, &op, [next](Result<Rule> r) {
                              next(r ? Operation::Outcome::success()
                                     : Operation::Outcome::failure(r.error().message));
                          });
                      },
                      {}});
    return launch(QStringLiteral("Deleting dangling rule %1").arg(rule.toString()), steps);
}

Operation *FeedLifecycle::retryOwed(const QStringList &tombstoneIds)
{
    const WhiskClientPtr client = m_client;
    const LifecycleJournalPtr journal = m_journal;
    auto stillOwed = std::make_shared<QStringList>();
    QList<Step> steps;
    for (const Tombstone &t :
         journal->tombstones(client->endpoint().apiHost, client->endpoint().ns)) {
        if (tombstoneIds.isEmpty() || tombstoneIds.contains(t.id))
            steps.append(retryStep(client, journal, t, stillOwed));
    }
    // Every retry runs even when one fails; the operation fails at the end if work remains.
    steps.append(Step{QStringLiteral("Check what is still owed"),
                      [stillOwed](Operation &, Operation::Next next) {
                          next(stillOwed->isEmpty()
                                   ? Operation::Outcome::success(QStringLiteral("nothing"))
                                   : Operation::Outcome::failure(
                                       QStringLiteral("still owed, kept for another try: %1")
                                           .arg(stillOwed->join(QStringLiteral("; ")))));
                      },
                      {}});
    return launch(QStringLiteral("Retrying owed feed work"), steps);
}

} // namespace Feedscope
