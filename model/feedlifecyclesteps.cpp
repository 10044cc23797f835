// SPDX-License-Identifier: GPL-3.0-or-later
#include "feedlifecyclesteps.h"

#include <QDateTime>

namespace Feedscope::FeedSteps {

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

Tombstone leaveTombstone(const WhiskClientPtr &client,
                         const LifecycleJournalPtr &journal,
                         const TriggerState &s,
                         Tombstone::Work work,
                         const QJsonObject &params,
                         const QString &error)
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

void recordFeedCall(Operation &op,
                    const QString &event,
                    const QString &trigger,
                    const QJsonObject &params,
                    const FeedAnswer &answer)
{
    op.setData(QStringLiteral("feedCall"),
               QJsonObject{{QStringLiteral("event"), event},
                           {QStringLiteral("trigger"), trigger},
                           {QStringLiteral("params"), params},
                           {QStringLiteral("activationId"), answer.activationId},
                           {QStringLiteral("activation"),
                            answer.record ? answer.record->raw : QJsonObject()}});
}

void rememberFeedTrigger(const WhiskClientPtr &client,
                         const LifecycleJournalPtr &journal,
                         const TriggerState &s,
                         const QJsonObject &params)
{
    KnownFeedTrigger known;
    known.trigger = triggerNameOf(s);
    known.ns = client->endpoint().ns;
    known.feed = s.feedText;
    known.params = params;
    journal->rememberFeedTriggers(client->endpoint().apiHost, {known});
}

std::function<void(Operation &, Operation::Next)> createAtFeed(const WhiskClientPtr &client,
                                                               const LifecycleJournalPtr &journal,
                                                               std::shared_ptr<TriggerState> s,
                                                               const QJsonObject &params)
{
    return [client, journal, s, params](Operation &op, Operation::Next next) {
        invokeFeed(*client,
                   *s->feed,
                   QStringLiteral("CREATE"),
                   triggerNameOf(*s),
                   params,
                   &op,
                   [client, journal, s, params, next, &op](FeedAnswer a) {
                       op.setData(QStringLiteral("feedActivationId"), a.activationId);
                       recordFeedCall(op, QStringLiteral("CREATE"), triggerNameOf(*s), params, a);
                       if (!a.ok) {
                           next(Operation::Outcome::failure(
                               failureText(QStringLiteral("CREATE"), a, s->feedText)));
                           return;
                       }
                       s->feedEntryExists = true;
                       rememberFeedTrigger(client, journal, *s, params);
                       next(Operation::Outcome::success());
                   });
    };
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

} // namespace Feedscope::FeedSteps
