// SPDX-License-Identifier: GPL-3.0-or-later
#include "firefollower.h"

#include "guardedcallback.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QTimer>

#include <memory>

namespace Feedscope {

QList<RuleOutcome> parseRuleOutcomes(const QStringList &logs)
{
    QList<RuleOutcome> outcomes;
    for (const QString &line : logs) {
        const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
        if (!o.contains(QLatin1String("rule")))
            continue;
        RuleOutcome r;
        r.rule = o.value(QLatin1String("rule")).toString();
        r.action = o.value(QLatin1String("action")).toString();
        r.statusCode = o.value(QLatin1String("statusCode")).toInt(-1);
        r.success = o.value(QLatin1String("success")).toBool();
        r.activationId = o.value(QLatin1String("activationId")).toString();
        r.error = o.value(QLatin1String("error")).toString();
        outcomes.append(r);
    }
    return outcomes;
}

QString FollowedFire::summary() const
{
    if (!error.isEmpty())
        return error;
    if (noActiveRule)
        return QStringLiteral("Fired, but the trigger has no active rule (204): nothing ran.");
    QStringList parts{QStringLiteral("Fired (trigger activation %1).").arg(triggerActivationId)};
    if (rules.isEmpty())
        parts.append(QStringLiteral("No rule outcome recorded yet."));
    for (const RuleOutcome &r : rules) {
        if (r.activationId.isEmpty()) {
            parts.append(
                QStringLiteral("Rule %1 did not run %2: %3").arg(r.rule, r.action, r.error));
            continue;
        }
        const ActivationRecord *record = nullptr;
        for (const ActivationRecord &a : actions) {
            if (a.activationId == r.activationId)
                record = &a;
        }
        if (record) {
            parts.append(QStringLiteral("Rule %1 ran %2: %3 (%4 ms).")
                             .arg(r.rule, r.action, record->status)
                             .arg(record->duration));
        } else {
            parts.append(QStringLiteral("Rule %1 started %2 (%3); it had not finished yet.")
                             .arg(r.rule, r.action, r.activationId));
        }
    }
    return parts.join(u' ');
}

namespace {

constexpr int pollMs = 150;

// The state of one follow: polls until every activation is recorded or the deadline passes.
struct Follow : std::enable_shared_from_this<Follow>
{
    WhiskClientPtr client;
    QPointer<QObject> context;
    GuardedCallback<FollowedFire> done;
    QDeadlineTimer deadline;
    FollowedFire fire;

    Follow(const WhiskClientPtr &c, QObject *ctx, std::function<void(FollowedFire)> cb, int waitMs)
        : client(c)
        , context(ctx)
        , done(ctx, std::move(cb))
        , deadline(waitMs)
    {}

    void finish() { done(fire); }

    void later(std::function<void()> next)
    {
        if (!context || deadline.hasExpired()) {
            finish();
            return;
        }
        QTimer::singleShot(pollMs, context, std::move(next));
    }

    void findTrigger()
    {
        auto self = shared_from_this();
        client->getActivation(
            fire.triggerActivationId, context, [self](Result<ActivationRecord> r) {
                if (!r) {
                    // 404 until the controller writes it after the 202.
                    self->later([self] { self->findTrigger(); });
                    return;
                }
                self->fire.rules = parseRuleOutcomes(r->logs);
                for (const RuleOutcome &o : self->fire.rules) {
                    if (!o.activationId.isEmpty())
                        self->fire.pending.append(o.activationId);
                }
                self->findActions();
            });
    }

    void findActions()
    {
        if (fire.pending.isEmpty()) {
            finish();
            return;
        }
        auto self = shared_from_this();
        const QString id = fire.pending.first();
        client->getActivation(id, context, [self, id](Result<ActivationRecord> r) {
            if (!r) {
                self->later([self] { self->findActions(); });
                return;
            }
            self->fire.pending.removeAll(id);
            self->fire.actions.append(*r);
            self->findActions();
        });
    }
};

} // namespace

void fireAndFollow(const WhiskClientPtr &client,
                   const QualifiedName &trigger,
                   const QJsonObject &payload,
                   QObject *context,
                   std::function<void(FollowedFire)> done,
                   int waitMs)
{
    auto follow = std::make_shared<Follow>(client, context, std::move(done), waitMs);
    client->fire(trigger, payload, context, [follow](Result<QString> r) {
        if (!r) {
            follow->fire.error = QStringLiteral("The fire failed: ") + r.error().message;
            follow->finish();
            return;
        }
        follow->fire.fired = true;
        if (r->isEmpty()) {
            follow->fire.noActiveRule = true;
            follow->finish();
            return;
        }
        follow->fire.triggerActivationId = *r;
        follow->findTrigger();
    });
}

} // namespace Feedscope
