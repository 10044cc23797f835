// SPDX-License-Identifier: GPL-3.0-or-later
#include "feedlifecycle.h"

#include "feedlifecyclesteps.h"

#include <memory>

// FeedLifecycle::pause / unpause, with the soft pause (rules disabled) for feeds that refuse
// PAUSE (PROTOCOL.md 3.5).
namespace Feedscope {

using namespace FeedSteps;

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
                           recordFeedCall(op, QStringLiteral("PAUSE"), triggerNameOf(*s), {}, a);
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
                           recordFeedCall(op, QStringLiteral("UNPAUSE"), name, {}, a);
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

} // namespace Feedscope
