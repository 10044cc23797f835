// SPDX-License-Identifier: GPL-3.0-or-later
// The answer of RunDiagnosis: the facts as a list and the one sentence, drawn from what the walk
// (rundiagnosis.cpp) read.
#include "activationrow.h"
#include "rundiagnosiswalk.h"

#include <QDateTime>
#include <QJsonDocument>

namespace Feedscope {

bool isLocalFire(const ActivationRecord &record)
{
    return record.annotations.contains(localFireAnnotation());
}

int localFireStatus(const ActivationRecord &record)
{
    return record.annotations.value(localFireAnnotation()).toInt();
}

namespace {

using State = DiagnosisFact::State;
using FeedState = DiagnosisWalk::FeedState;
using ActionState = DiagnosisWalk::ActionState;

QString timeText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss"));
}

QString minutesText(qint64 ms)
{
    const qint64 minutes = ms / 60000;
    return minutes == 1 ? QStringLiteral("minute") : QStringLiteral("%1 min").arg(minutes);
}

// The message of an activation's error result: {error: "x"}, {error: {error|message: "x"}}.
QString errorText(const ActivationRecord &a)
{
    const QJsonValue error = a.result.toObject().value(QLatin1String("error"));
    if (error.isString())
        return error.toString();
    if (error.isObject()) {
        const QJsonObject o = error.toObject();
        for (const char *key : {"error", "message"}) {
            if (o.value(QLatin1String(key)).isString())
                return o.value(QLatin1String(key)).toString();
        }
        return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)).left(200);
    }
    return {};
}

bool timedOut(const ActivationRecord &a)
{
    return a.annotations.value(QStringLiteral("timeout")).toBool();
}

// "application error — division by zero", "timed out after 3000 ms".
QString endText(const ActivationRecord &a)
{
    if (timedOut(a))
        return QStringLiteral("timed out after %1 ms").arg(a.duration);
    const QString status
        = a.status.isEmpty() ? QStringLiteral("status %1").arg(a.statusCode) : a.status;
    const QString error = errorText(a);
    return error.isEmpty() ? status : status + QStringLiteral(" — ") + error;
}

bool failed(const ActivationRecord &a)
{
    return !a.success || timedOut(a);
}

} // namespace

void DiagnosisWalk::conclude()
{
    const QString ns = triggerName.ns;
    auto local = [&ns](const QString &path) {
        return localName(path, ns);
    };
    auto fact = [this](State state, const QString &text) {
        out.facts.append(DiagnosisFact{state, text});
    };
    auto makeFix = [](DiagnosisFix::Kind kind, const QString &target) {
        DiagnosisFix f;
        f.kind = kind;
        f.target = target;
        return f;
    };
    out.complete = true;

    // 1. The trigger.
    if (triggerMissing) {
        fact(State::Problem, QStringLiteral("Trigger %1 does not exist.").arg(out.trigger));
        out.answer = QStringLiteral("Trigger %1 does not exist, so nothing fires it and no "
                                    "action runs.")
                         .arg(req.trigger.name);
        finish();
        return;
    }
    const QString t = triggerName.name;
    fact(State::Ok, QStringLiteral("Trigger %1 exists.").arg(triggerName.toString()));

    // 2. Its feed.
    switch (feed) {
    case FeedState::None:
        fact(State::Ok,
             QStringLiteral("No feed: it fires when something POSTs to it (a webhook, the "
                            "explorer, an outside service)."));
        break;
    case FeedState::Active:
        fact(State::Ok, QStringLiteral("Feed %1 is active (READ).").arg(feedText));
        break;
    case FeedState::NoStatus:
        fact(State::Ok,
             QStringLiteral("Feed %1 answered READ (it reports no status).").arg(feedText));
        break;
    case FeedState::Paused:
        fact(State::Problem,
             QStringLiteral("Feed %1 is paused%2.")
                 .arg(feedText,
                      feedDetail.isEmpty() ? QString() : QStringLiteral(": ") + feedDetail));
        break;
    case FeedState::Disabled:
        fact(State::Problem,
             QStringLiteral("Feed %1 has disabled the trigger%2.")
                 .arg(feedText,
                      feedDetail.isEmpty() ? QString() : QStringLiteral(": ") + feedDetail));
        break;
    case FeedState::Lost:
        fact(State::Problem,
             QStringLiteral("Feed %1 cannot READ the trigger (%2): the provider has no entry, so "
                            "it never fires.")
                 .arg(feedText, feedDetail));
        break;
    case FeedState::Unknown:
        fact(State::Unknown,
             QStringLiteral("Feed %1 could not be read: %2.").arg(feedText, feedDetail));
        break;
    }

    // 3. Recent fires; 204 and 429 only from the rows of fires Feedscope sent itself.
    int real = 0;
    int noRule = 0;
    int throttled = 0;
    qint64 last204 = 0;
    qint64 last429 = 0;
    for (const ActivationRecord &f : std::as_const(fires)) {
        if (!isLocalFire(f)) {
            ++real;
        } else if (localFireStatus(f) == 429) {
            if (f.start >= now - req.throttleWindowMs) {
                ++throttled;
                last429 = qMax(last429, f.start);
            }
        } else {
            ++noRule;
            last204 = qMax(last204, f.start);
        }
    }
    const QString recent = minutesText(req.recentMs);
    if (!listError.isEmpty())
        fact(State::Unknown, QStringLiteral("Recent fires could not be listed: %1").arg(listError));
    else if (fires.isEmpty())
        fact(State::Unknown, QStringLiteral("No fire of %1 seen in the last %2.").arg(t, recent));
    else
        fact(State::Ok,
             QStringLiteral("%1 fire(s) of %2 seen in the last %3, the latest at %4.")
                 .arg(fires.size())
                 .arg(t, recent, timeText(fires.first().start)));
    if (noRule == 0)
        fact(State::Ok,
             QStringLiteral("No fire Feedscope sent was answered 204 (no active rule) in the last "
                            "%1.")
                 .arg(recent));
    else
        fact(State::Problem,
             QStringLiteral("%1 fire(s) were answered 204 (no active rule), the latest at %2.")
                 .arg(noRule)
                 .arg(timeText(last204)));
    if (throttled == 0)
        fact(State::Ok,
             QStringLiteral("No fire Feedscope sent was refused with 429 in the last %1.")
                 .arg(minutesText(req.throttleWindowMs)));
    else
        fact(State::Problem,
             QStringLiteral("%1 fire(s) were refused with 429 (too many requests) in the last "
                            "%2, the latest at %3.")
                 .arg(throttled)
                 .arg(minutesText(req.throttleWindowMs), timeText(last429)));

    // 4. Rules and 5. their actions.
    const bool softPaused
        = journal && journal->isSoftPaused(client->endpoint().apiHost, triggerName.toString());
    QList<RuleStatusEntry> active;
    QList<RuleStatusEntry> inactive;
    if (trigger.rules.isEmpty())
        fact(State::Problem, QStringLiteral("Trigger %1 has no rule.").arg(t));
    for (const RuleStatusEntry &r : std::as_const(trigger.rules)) {
        (r.active ? active : inactive).append(r);
        fact(r.active ? State::Ok : State::Problem,
             QStringLiteral("Rule %1 → %2 is %3%4.")
                 .arg(local(r.rule),
                      local(r.action),
                      r.active ? QStringLiteral("active") : QStringLiteral("inactive"),
                      !r.active && softPaused ? QStringLiteral(" (Feedscope's soft pause)")
                                              : QString()));
    }
    QStringList shown;
    auto showAction = [&](const QString &action) {
        if (shown.contains(action) || !actionState.contains(action))
            return;
        shown.append(action);
        switch (actionState.value(action)) {
        case ActionState::Exists:
            fact(State::Ok, QStringLiteral("Action %1 exists.").arg(local(action)));
            break;
        case ActionState::Missing:
            fact(State::Problem, QStringLiteral("Action %1 does not exist.").arg(local(action)));
            break;
        case ActionState::Unknown:
            fact(State::Unknown, QStringLiteral("Action %1 could not be read.").arg(local(action)));
            break;
        }
    };
    for (const RuleStatusEntry &r : std::as_const(trigger.rules))
        showAction(r.action);
    for (const RuleOutcome &o : std::as_const(outcomes))
        showAction(o.action);
    auto ruleFix = [&](const QString &rule) {
        return softPaused ? makeFix(DiagnosisFix::Kind::UnpauseFeed, triggerName.toString())
                          : makeFix(DiagnosisFix::Kind::EnableRule, u'/' + rule);
    };
    auto isInactiveNow = [&](const QString &rule) {
        for (const RuleStatusEntry &r : std::as_const(inactive)) {
            if (r.rule == rule)
                return true;
        }
        return false;
    };

    // 6. The event: what its rules did.
    if (focus && !isLocalFire(*focus)) {
        const QString when = timeText(focus->start);
        if (outcomes.isEmpty())
            fact(State::Unknown,
                 QStringLiteral("The fire at %1 recorded no rule outcome.").arg(when));
        for (const RuleOutcome &o : std::as_const(outcomes)) {
            if (o.activationId.isEmpty()) {
                fact(State::Problem,
                     QStringLiteral("At %1 rule %2 did not run %3: %4")
                         .arg(when, local(o.rule), local(o.action), o.error));
            } else if (actionRecords.contains(o.activationId)) {
                const ActivationRecord &a = actionRecords[o.activationId];
                fact(failed(a) ? State::Problem : State::Ok,
                     QStringLiteral("At %1 rule %2 ran %3: %4 (%5 ms, activation %6).")
                         .arg(when, local(o.rule), local(o.action), endText(a))
                         .arg(a.duration)
                         .arg(o.activationId));
            } else {
                fact(State::Unknown,
                     QStringLiteral("At %1 rule %2 started %3 (activation %4), not recorded yet%5.")
                         .arg(when,
                              local(o.rule),
                              local(o.action),
                              o.activationId,
                              actionErrors.contains(o.activationId)
                                  ? QStringLiteral(": ") + actionErrors.value(o.activationId)
                                  : QStringLiteral(" (still running?)")));
            }
        }
    } else if (focus) {
        fact(State::Problem,
             localFireStatus(*focus) == 429
                 ? QStringLiteral("The fire at %1 was refused with 429: the trigger did not fire.")
                       .arg(timeText(focus->start))
                 : QStringLiteral("The fire at %1 was answered 204: no rule was active, the "
                                  "server kept no record.")
                       .arg(timeText(focus->start)));
    }
    if (!focusError.isEmpty())
        fact(State::Unknown, QStringLiteral("The event could not be read: %1").arg(focusError));

    // What happened to one fire, as one sentence.
    auto story = [&](const ActivationRecord &f) {
        const QString when = timeText(f.start);
        if (isLocalFire(f) && localFireStatus(f) == 429) {
            out.answer = QStringLiteral("The fire at %1 was refused with 429 (too many requests in "
                                        "the last minute): %2 did not fire, so nothing ran. Fire "
                                        "less often, or wait for the minute to pass.")
                             .arg(when, t);
            return;
        }
        if (isLocalFire(f) || outcomes.isEmpty()) {
            const QString head
                = isLocalFire(f)
                      ? QStringLiteral("The fire at %1 was answered 204 (no active "
                                       "rule)")
                            .arg(when)
                      : QStringLiteral("The fire at %1 recorded no rule outcome").arg(when);
            if (trigger.rules.isEmpty()) {
                out.answer = head + QStringLiteral(": %1 has no rule, so nothing ran.").arg(t);
                out.fix = makeFix(DiagnosisFix::Kind::CreateRule, triggerName.toString());
            } else if (active.isEmpty()) {
                out.answer
                    = head
                      + QStringLiteral(": rule %1 is inactive, so %2 did not run.")
                            .arg(local(inactive.first().rule), local(inactive.first().action));
                out.fix = ruleFix(inactive.first().rule);
            } else {
                out.answer = head
                             + QStringLiteral("; rule %1 is active now, so the next fire runs %2.")
                                   .arg(local(active.first().rule), local(active.first().action));
            }
            return;
        }
        // Rules that could not start their action, then actions that failed, then those not
        // recorded yet.
        for (const RuleOutcome &o : std::as_const(outcomes)) {
            if (!o.activationId.isEmpty())
                continue;
            if (o.error.contains(QLatin1String("inactive"))) {
                if (isInactiveNow(o.rule)) {
                    out.answer = QStringLiteral("Rule %1 was inactive when %2 fired at %3, so %4 "
                                                "did not run.")
                                     .arg(local(o.rule), t, when, local(o.action));
                    out.fix = ruleFix(o.rule);
                } else {
                    out.answer = QStringLiteral("Rule %1 was inactive when %2 fired at %3, so %4 "
                                                "did not run; it is active now.")
                                     .arg(local(o.rule), t, when, local(o.action));
                }
            } else if (actionState.value(o.action, ActionState::Unknown) == ActionState::Missing) {
                out.answer = QStringLiteral("Rule %1 points to action %2, which does not exist, "
                                            "so nothing ran when %3 fired at %4.")
                                 .arg(local(o.rule), local(o.action), t, when);
                out.fix = makeFix(DiagnosisFix::Kind::CreateAction, u'/' + o.action);
            } else if (o.error.contains(QLatin1String("Too many requests"))) {
                out.answer = QStringLiteral("Rule %1 could not start %2 at %3: the namespace's "
                                            "invocations were throttled (429).")
                                 .arg(local(o.rule), local(o.action), when);
            } else {
                out.answer = QStringLiteral("Rule %1 could not start %2 at %3: %4")
                                 .arg(local(o.rule), local(o.action), when, o.error);
            }
            return;
        }
        for (const RuleOutcome &o : std::as_const(outcomes)) {
            if (!actionRecords.contains(o.activationId) || !failed(actionRecords[o.activationId]))
                continue;
            const ActivationRecord &a = actionRecords[o.activationId];
            out.answer = timedOut(a) ? QStringLiteral("%1 ran at %2 but timed out after %3 ms.")
                                           .arg(local(o.action), when)
                                           .arg(a.duration)
                                     : QStringLiteral("%1 ran at %2 but failed: %3.")
                                           .arg(local(o.action), when, endText(a));
            out.fix = makeFix(DiagnosisFix::Kind::OpenActivation, o.activationId);
            return;
        }
        for (const RuleOutcome &o : std::as_const(outcomes)) {
            if (actionRecords.contains(o.activationId))
                continue;
            out.answer = QStringLiteral("Rule %1 started %2 at %3; its activation is not "
                                        "recorded yet (still running?). Check again shortly.")
                             .arg(local(o.rule), local(o.action), when);
            return;
        }
        QStringList ran;
        for (const RuleOutcome &o : std::as_const(outcomes)) {
            ran.append(QStringLiteral("%1 ran %2 (%3 ms)")
                           .arg(local(o.rule), local(o.action))
                           .arg(actionRecords[o.activationId].duration));
        }
        out.ran = true;
        out.answer = QStringLiteral("It ran: %1 fired at %2 and rule %3 successfully.")
                         .arg(t, when, ran.join(QStringLiteral(", rule ")));
    };

    const bool askedForEvent = req.event || !req.eventId.isEmpty();
    if (askedForEvent && focus) {
        story(*focus);
    } else if (feed == FeedState::Lost) {
        out.answer = QStringLiteral("The feed %1 has no entry for %2 (READ: %3), so it never "
                                    "fires.")
                         .arg(feedText, t, feedDetail);
        if (!feedParams.isEmpty()) {
            out.fix = makeFix(DiagnosisFix::Kind::RecreateFeed, triggerName.toString());
            out.fix.feedParams = feedParams;
        }
    } else if (feed == FeedState::Paused) {
        out.answer
            = QStringLiteral("%1 is paused at its feed %2, so it does not fire.").arg(t, feedText);
        out.fix = makeFix(DiagnosisFix::Kind::UnpauseFeed, triggerName.toString());
    } else if (feed == FeedState::Disabled) {
        out.answer
            = QStringLiteral("The feed %1 has disabled %2%3, so it does not fire.")
                  .arg(feedText,
                       t,
                       feedDetail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(feedDetail));
        if (!feedParams.isEmpty()) {
            out.fix = makeFix(DiagnosisFix::Kind::RecreateFeed, triggerName.toString());
            out.fix.feedParams = feedParams;
            out.fix.feedEntryExists = true;
        }
    } else if (trigger.rules.isEmpty()) {
        out.answer = QStringLiteral("%1 has no rule, so its fires run nothing.").arg(t);
        out.fix = makeFix(DiagnosisFix::Kind::CreateRule, triggerName.toString());
    } else if (active.isEmpty()) {
        out.answer = QStringLiteral("Rule %1 is inactive, so the fires of %2 run nothing (they "
                                    "are answered 204).")
                         .arg(local(inactive.first().rule), t);
        out.fix = ruleFix(inactive.first().rule);
    } else if (const auto missing = std::find_if(active.begin(),
                                                 active.end(),
                                                 [&](const RuleStatusEntry &r) {
                                                     return actionState.value(r.action,
                                                                              ActionState::Unknown)
                                                            == ActionState::Missing;
                                                 });
               missing != active.end()) {
        out.answer = QStringLiteral("Rule %1 points to action %2, which does not exist, so "
                                    "nothing runs when %3 fires.")
                         .arg(local(missing->rule), local(missing->action), t);
        out.fix = makeFix(DiagnosisFix::Kind::CreateAction, u'/' + missing->action);
    } else if (focus) {
        story(*focus);
    } else {
        const QString tail = feed == FeedState::Active
                                 ? QStringLiteral("its feed %1 is active but has not fired "
                                                  "it yet.")
                                       .arg(feedText)
                             : feed == FeedState::Unknown
                                 ? QStringLiteral("its feed %1 could not be read.").arg(feedText)
                                 : QStringLiteral("nothing has fired it.");
        out.answer
            = QStringLiteral("Rule %1 → %2 is in place, but %3 has not fired in the last "
                             "%4: %5")
                  .arg(local(active.first().rule), local(active.first().action), t, recent, tail);
    }
    finish();
}

} // namespace Feedscope
