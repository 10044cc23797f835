// SPDX-License-Identifier: GPL-3.0-or-later
#include "rundiagnosis.h"

#include "feedcall.h"
#include "feedlifecycle.h"
#include "feedparameters.h"
#include "firefollower.h"
#include "guardedcallback.h"
#include "rundiagnosiswalk.h"

#include <QDateTime>

#include <algorithm>

namespace Feedscope {

QString fixKindName(DiagnosisFix::Kind kind)
{
    switch (kind) {
    case DiagnosisFix::Kind::None: return QStringLiteral("None");
    case DiagnosisFix::Kind::EnableRule: return QStringLiteral("EnableRule");
    case DiagnosisFix::Kind::RecreateFeed: return QStringLiteral("RecreateFeed");
    case DiagnosisFix::Kind::UnpauseFeed: return QStringLiteral("UnpauseFeed");
    case DiagnosisFix::Kind::CreateRule: return QStringLiteral("CreateRule");
    case DiagnosisFix::Kind::OpenActivation: return QStringLiteral("OpenActivation");
    case DiagnosisFix::Kind::CreateAction: return QStringLiteral("CreateAction");
    }
    return {};
}

QString DiagnosisFix::label() const
{
    const QString shortName = target.section(u'/', -1);
    switch (kind) {
    case Kind::None: return {};
    case Kind::EnableRule: return QStringLiteral("Enable rule %1").arg(shortName);
    case Kind::RecreateFeed:
        return feedEntryExists ? QStringLiteral("Re-activate the feed of %1").arg(shortName)
                               : QStringLiteral("Re-create the feed of %1").arg(shortName);
    case Kind::UnpauseFeed: return QStringLiteral("Unpause %1").arg(shortName);
    case Kind::CreateRule: return QStringLiteral("Create a rule for %1").arg(shortName);
    case Kind::OpenActivation: return QStringLiteral("Open activation %1…").arg(target.left(8));
    case Kind::CreateAction: return QStringLiteral("Create action %1").arg(shortName);
    }
    return {};
}

bool Diagnosis::hasProblem() const
{
    return std::any_of(facts.begin(), facts.end(), [](const DiagnosisFact &f) {
        return f.state == DiagnosisFact::State::Problem;
    });
}

// ---- the walk: one look-up after the other, each answer checked against cancellation --------

namespace {

bool sameTrigger(const ActivationRecord &r, const QualifiedName &trigger)
{
    if (!r.isTrigger())
        return false;
    // Synthetic rows name the trigger as the fire did ("t", "/_/t", "guest/t").
    const QString name = r.name.section(u'/', -1);
    if (name != trigger.name)
        return false;
    const QString ns = r.ns.section(u'/', 0, 0);
    return ns.isEmpty() || ns == DefaultNamespace || trigger.ns == DefaultNamespace
           || ns == trigger.ns;
}

} // namespace

DiagnosisWalk::DiagnosisWalk(QObject *owner,
                             WhiskClientPtr client,
                             LifecycleJournalPtr journal,
                             DiagnosisRequest request,
                             std::function<void(const QString &)> progress,
                             std::function<void(const Diagnosis &)> finished)
    : owner(owner)
    , client(std::move(client))
    , journal(std::move(journal))
    , req(std::move(request))
    , progress(std::move(progress))
    , finished(std::move(finished))
{
    now = req.nowMs > 0 ? req.nowMs : QDateTime::currentMSecsSinceEpoch();
    out.trigger = req.trigger.toString();
}

bool DiagnosisWalk::alive() const
{
    return !cancelled && owner;
}

void DiagnosisWalk::step(const QString &text)
{
    if (progress)
        progress(text);
}

void DiagnosisWalk::start()
{
    step(QStringLiteral("Reading trigger %1").arg(req.trigger.toString()));
    auto self = shared_from_this();
    client->getTrigger(req.trigger, owner, [self](Result<Trigger> r) {
        if (!self->alive())
            return;
        if (!r) {
            if (r.error().httpStatus == 404) {
                self->triggerMissing = true;
                self->conclude();
            } else {
                self->fail(r.error().message);
            }
            return;
        }
        self->trigger = *r;
        self->triggerName = r->qualifiedName();
        self->out.trigger = self->triggerName.toString();
        self->readFeed();
    });
}

void DiagnosisWalk::readFeed()
{
    feedText = trigger.feed();
    if (feedText.isEmpty()) {
        feed = FeedState::None;
        listFires();
        return;
    }
    const auto feedName = client->qualify(feedText);
    if (!feedName) {
        feed = FeedState::Unknown;
        feedDetail = QStringLiteral("'%1' is not a feed name").arg(feedText);
        listFires();
        return;
    }
    step(QStringLiteral("Reading the feed %1 (READ)").arg(feedText));
    auto self = shared_from_this();
    invokeFeed(*client,
               *feedName,
               QStringLiteral("READ"),
               triggerName.toString(),
               {},
               owner,
               [self](FeedAnswer a) {
                   if (!self->alive())
                       return;
                   self->takeFeedAnswer(a);
                   self->listFires();
               });
}

void DiagnosisWalk::takeFeedAnswer(const FeedAnswer &a)
{
    if (!a.ok) {
        // Only the provider answering for itself proves the entry lost; a timeout, a 429 or
        // a refused invoke says nothing about it (as FeedLifecycle::recreateFeed checks).
        const bool providerAnswered = a.finished && a.httpStatus == 0 && a.feedStatusCode != 429;
        feed = providerAnswered ? FeedState::Lost : FeedState::Unknown;
        feedDetail = a.error;
        if (feed == FeedState::Lost) {
            const auto known = journal ? journal->knownFeedTrigger(client->endpoint().apiHost,
                                                                   triggerName.toString())
                                       : std::nullopt;
            if (known)
                feedParams = known->params;
        }
        return;
    }
    const QJsonObject result = a.result.toObject();
    feedConfig = result.value(QLatin1String("config")).toObject();
    feedParams = feedParamsOfConfig(feedConfig);
    const QJsonObject status = result.value(QLatin1String("status")).toObject();
    if (!status.contains(QLatin1String("active"))) {
        // Feeds of the trigger pattern (github) answer READ without a status.
        feed = FeedState::NoStatus;
        return;
    }
    if (status.value(QLatin1String("active")).toBool()) {
        feed = FeedState::Active;
        return;
    }
    const QJsonObject reason = status.value(QLatin1String("reason")).toObject();
    feedDetail = reason.value(QLatin1String("message")).toString();
    if (feedDetail.endsWith(u'.'))
        feedDetail.chop(1);
    // PAUSE by a person is reason kind USER (the engine's providers); the provider's own
    // disabling is AUTO, an operator's ADMIN (PROTOCOL.md 3.5).
    feed = reason.value(QLatin1String("kind")).toString() == u"USER" ? FeedState::Paused
                                                                     : FeedState::Disabled;
}

void DiagnosisWalk::listFires()
{
    for (const ActivationRecord &r : std::as_const(req.seen)) {
        if (sameTrigger(r, triggerName) && r.start >= now - req.recentMs)
            addFire(r);
    }
    if (req.event && sameTrigger(*req.event, triggerName))
        addFire(*req.event);
    step(QStringLiteral("Listing the recent fires of %1").arg(triggerName.name));
    ActivationFilter filter;
    filter.name = triggerName.name;
    filter.since = now - req.recentMs;
    filter.limit = 30;
    filter.docs = true;
    auto self = shared_from_this();
    client->listActivations(filter, owner, [self](Result<QList<ActivationRecord>> r) {
        if (!self->alive())
            return;
        if (!r) {
            self->listError = r.error().message;
        } else {
            for (const ActivationRecord &a : *r) {
                if (a.isTrigger())
                    self->addFire(a);
            }
        }
        std::sort(
            self->fires.begin(),
            self->fires.end(),
            [](const ActivationRecord &a, const ActivationRecord &b) { return a.start > b.start; });
        self->findFocus();
    });
}

void DiagnosisWalk::addFire(const ActivationRecord &record)
{
    for (ActivationRecord &known : fires) {
        if (known.activationId == record.activationId) {
            // A pushed summary may come before its full record: keep the one with logs.
            if (known.logs.isEmpty() && !record.logs.isEmpty())
                known = record;
            return;
        }
    }
    fires.append(record);
}

void DiagnosisWalk::findFocus()
{
    const QString id = req.event ? req.event->activationId : req.eventId;
    if (id.isEmpty()) {
        if (!fires.isEmpty())
            focus = fires.first();
    } else {
        for (const ActivationRecord &r : std::as_const(fires)) {
            if (r.activationId == id)
                focus = r;
        }
        if (!focus && req.event)
            focus = req.event;
    }
    const bool needsRecord = !focus || (!isLocalFire(*focus) && focus->logs.isEmpty());
    if (id.isEmpty() || !needsRecord) {
        readOutcomes();
        return;
    }
    step(QStringLiteral("Reading activation %1").arg(id));
    auto self = shared_from_this();
    client->getActivation(id, owner, [self, id](Result<ActivationRecord> r) {
        if (!self->alive())
            return;
        if (r)
            self->focus = *r;
        else if (!self->focus)
            self->focusError = QStringLiteral("activation %1: %2").arg(id, r.error().message);
        self->readOutcomes();
    });
}

void DiagnosisWalk::readOutcomes()
{
    if (focus && !isLocalFire(*focus)) {
        outcomes = parseRuleOutcomes(focus->logs);
        for (const RuleOutcome &o : std::as_const(outcomes)) {
            if (!o.activationId.isEmpty())
                toRead.append(o.activationId);
        }
    }
    readNextActivation();
}

void DiagnosisWalk::readNextActivation()
{
    if (toRead.isEmpty()) {
        checkActions();
        return;
    }
    const QString id = toRead.takeFirst();
    step(QStringLiteral("Reading action activation %1").arg(id));
    auto self = shared_from_this();
    client->getActivation(id, owner, [self, id](Result<ActivationRecord> r) {
        if (!self->alive())
            return;
        if (r)
            self->actionRecords.insert(id, *r);
        else if (r.error().httpStatus != 404) // 404: written when the action ends
            self->actionErrors.insert(id, r.error().message);
        self->readNextActivation();
    });
}

void DiagnosisWalk::checkActions()
{
    if (actionsToCheck.isEmpty() && !actionsListed) {
        actionsListed = true;
        for (const RuleStatusEntry &e : std::as_const(trigger.rules)) {
            if (!actionsToCheck.contains(e.action))
                actionsToCheck.append(e.action);
        }
        // A failed outcome's action may belong to a rule changed since.
        for (const RuleOutcome &o : std::as_const(outcomes)) {
            if (!o.success && !o.action.isEmpty() && !actionsToCheck.contains(o.action))
                actionsToCheck.append(o.action);
        }
    }
    if (actionsToCheck.isEmpty()) {
        conclude();
        return;
    }
    const QString action = actionsToCheck.takeFirst();
    const auto name = QualifiedName::parse(u'/' + action);
    if (!name) {
        actionState.insert(action, ActionState::Unknown);
        checkActions();
        return;
    }
    step(QStringLiteral("Reading action %1").arg(action));
    auto self = shared_from_this();
    client->getAction(*name, false, owner, [self, action](Result<Action> r) {
        if (!self->alive())
            return;
        self->actionState.insert(action,
                                 r                             ? ActionState::Exists
                                 : r.error().httpStatus == 404 ? ActionState::Missing
                                                               : ActionState::Unknown);
        self->checkActions();
    });
}

void DiagnosisWalk::fail(const QString &message)
{
    out.complete = false;
    out.error = message;
    out.facts.append({DiagnosisFact::State::Unknown, message});
    out.answer = QStringLiteral("The check could not finish: %1").arg(message);
    finish();
}

void DiagnosisWalk::finish()
{
    if (finished && alive())
        finished(out);
}

// ---- RunDiagnosis --------------------------------------------------------------------------

RunDiagnosis::RunDiagnosis(FeedLifecycle *lifecycle, QObject *parent)
    : QObject(parent)
    , m_lifecycle(lifecycle)
    , m_client(lifecycle ? lifecycle->client() : nullptr)
    , m_journal(lifecycle ? lifecycle->journal() : nullptr)
{
    qRegisterMetaType<Feedscope::Diagnosis>();
}

RunDiagnosis::~RunDiagnosis()
{
    cancel();
}

void RunDiagnosis::run(const DiagnosisRequest &request)
{
    cancel();
    auto walk = std::make_shared<DiagnosisWalk>(
        this,
        m_client,
        m_journal,
        request,
        [this](const QString &text) { Q_EMIT progress(text); },
        [this](const Diagnosis &d) {
            m_walk.reset();
            Q_EMIT finished(d);
        });
    m_walk = walk;
    if (!m_client) {
        QMetaObject::invokeMethod(
            this, [walk] { walk->fail(QStringLiteral("no connection")); }, Qt::QueuedConnection);
        return;
    }
    // Never synchronously: callers connect to finished() after run().
    QMetaObject::invokeMethod(
        this, [walk] { walk->start(); }, Qt::QueuedConnection);
}

void RunDiagnosis::cancel()
{
    if (m_walk)
        m_walk->cancelled = true;
    m_walk.reset();
}

bool RunDiagnosis::isRunning() const
{
    return m_walk != nullptr;
}

void RunDiagnosis::applyFix(const DiagnosisFix &fix,
                            QObject *context,
                            std::function<void(FixOutcome)> done)
{
    QObject *ctx = context ? context : this;
    GuardedCallback<FixOutcome> answer(ctx, std::move(done));
    auto failLater = [answer, this](const QString &message) {
        answer.post(this, FixOutcome{false, message});
    };
    const auto target = m_client ? m_client->qualify(fix.target) : std::nullopt;
    if (!fix.isApiCall()) {
        failLater(QStringLiteral("'%1' is not done through the API").arg(fix.label()));
        return;
    }
    if (!target) {
        failLater(QStringLiteral("'%1' is not an entity name").arg(fix.target));
        return;
    }
    if (fix.kind == DiagnosisFix::Kind::EnableRule) {
        const QString name = target->toString();
        m_client->setRuleActive(*target, true, ctx, [answer, name](Result<Done> r) {
            answer(r ? FixOutcome{true, QStringLiteral("Rule %1 enabled.").arg(name)}
                     : FixOutcome{false, r.error().message});
        });
        return;
    }
    if (!m_lifecycle) {
        failLater(QStringLiteral("the session that owned this check is gone"));
        return;
    }
    Operation *op = nullptr;
    if (fix.kind == DiagnosisFix::Kind::UnpauseFeed)
        op = m_lifecycle->unpause(*target);
    else if (fix.feedEntryExists) // a disabled entry: a successful UPDATE re-activates it
        op = m_lifecycle->update(*target, fix.feedParams);
    else
        op = m_lifecycle->recreateFeed(*target, fix.feedParams);
    connect(op, &Operation::finished, ctx, [answer](const OperationReport &report) {
        answer(FixOutcome{report.ok, report.summary()});
    });
}

} // namespace Feedscope
