// SPDX-License-Identifier: GPL-3.0-or-later
#include "orphanscan.h"

#include "feedlifecycle.h"
#include "lifecyclejournal.h"
#include "whiskclient.h"

#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>

namespace Feedscope {

QString findingKindName(Finding::Kind kind)
{
    switch (kind) {
    case Finding::Kind::FeedUnreadable: return QStringLiteral("feed-unreadable");
    case Finding::Kind::FeedInactive: return QStringLiteral("feed-inactive");
    case Finding::Kind::NoActiveRule: return QStringLiteral("no-active-rule");
    case Finding::Kind::RuleActionMissing: return QStringLiteral("rule-action-missing");
    case Finding::Kind::Tombstone: return QStringLiteral("tombstone");
    case Finding::Kind::ScanIncomplete: return QStringLiteral("scan-incomplete");
    case Finding::Kind::LeftoverFeed: return QStringLiteral("leftover-feed");
    }
    return {};
}

QString findingFixName(Finding::Fix fix)
{
    switch (fix) {
    case Finding::Fix::None: return {};
    case Finding::Fix::DeleteLeftover: return QStringLiteral("Delete the leftover entry");
    case Finding::Fix::RecreateFeed: return QStringLiteral("Re-create the feed entry");
    case Finding::Fix::DeleteRule: return QStringLiteral("Delete the rule");
    case Finding::Fix::RetryTombstone: return QStringLiteral("Retry the owed work");
    case Finding::Fix::Unpause: return QStringLiteral("Unpause");
    }
    return {};
}

namespace {

constexpr int pageSize = 200;

Finding finding(Finding::Kind kind,
                const QString &entity,
                const QString &problem,
                const QString &proposedFix,
                Finding::Fix fix = Finding::Fix::None)
{
    Finding f;
    f.kind = kind;
    f.entity = entity;
    f.problem = problem;
    f.proposedFix = proposedFix;
    f.fix = fix;
    return f;
}

} // namespace

// The state of one scan; the context of all its requests, a child of the caller's context.
class ScanRun : public QObject
{
public:
    using Next = std::function<void()>;

    ScanRun(WhiskClientPtr client, LifecycleJournalPtr journal, OrphanScan *scan, QObject *context)
        : QObject(context)
        , client(std::move(client))
        , journal(std::move(journal))
        , m_scan(scan)
    {}

    // Announces the next check, unless the scan was cancelled.
    bool step(const QString &text)
    {
        if (cancelled)
            return false;
        if (m_scan)
            Q_EMIT m_scan->progress(m_step, qMax(m_count, m_step + 1), text);
        ++m_step;
        return true;
    }
    void setCount(int count) { m_count = count; }
    // Before `done` runs: the scan no longer counts as running.
    void finished()
    {
        if (m_scan && m_scan->m_run == this)
            m_scan->m_run = nullptr;
        deleteLater();
    }

    // Runs `fn` on each item in turn (while not cancelled), then `done`.
    template<typename T>
    void forEach(QList<T> items,
                 std::function<QString(const T &)> describe,
                 std::function<void(const T &, Next)> fn,
                 Next done)
    {
        auto index = std::make_shared<qsizetype>(0);
        auto step = std::make_shared<std::function<void()>>();
        QPointer<ScanRun> self(this);
        *step = [self, items, describe, fn, done, index, step] {
            if (!self)
                return;
            if (*index >= items.size() || !self->step(describe(items.at(*index)))) {
                // Break the step → step cycle; this lambda dies with it, so only locals after.
                const Next finished = done;
                *step = nullptr;
                finished();
                return;
            }
            const T &item = items.at((*index)++);
            fn(item, [self, step] {
                if (self)
                    QTimer::singleShot(0, self, [step] {
                        if (*step)
                            (*step)();
                    });
            });
        };
        (*step)();
    }

    void listTriggers(int skip, Next done)
    {
        client->listTriggers(pageSize, skip, this, [this, skip, done](Result<QList<Trigger>> r) {
            if (!r) {
                incomplete(QStringLiteral("triggers"), r.error().message);
                triggersComplete = false;
                done();
                return;
            }
            triggers += *r;
            if (r->size() == pageSize)
                listTriggers(skip + pageSize, done);
            else
                done();
        });
    }

    void listRules(int skip, Next done)
    {
        client->listRules(pageSize, skip, this, [this, skip, done](Result<QList<Rule>> r) {
            if (!r) {
                incomplete(QStringLiteral("rules"), r.error().message);
                done();
                return;
            }
            rules += *r;
            if (r->size() == pageSize)
                listRules(skip + pageSize, done);
            else
                done();
        });
    }

    void incomplete(const QString &what, const QString &error)
    {
        findings.append(finding(Finding::Kind::ScanIncomplete,
                                what,
                                QStringLiteral("Could not read the %1: %2").arg(what, error),
                                QStringLiteral("Check the connection and the key, then scan "
                                               "again.")));
    }

    void checkRule(const Rule &summary, Next next)
    {
        client->getRule(summary.qualifiedName(), this, [this, next](Result<Rule> r) {
            if (!r) {
                next();
                return;
            }
            const Rule rule = *r;
            const auto action = client->qualify(rule.action);
            if (!action) {
                next();
                return;
            }
            const QString key = action->toString();
            auto report = [this, rule, key](bool exists) {
                if (exists)
                    return;
                const QString name = rule.qualifiedName().toString();
                findings.append(finding(
                    Finding::Kind::RuleActionMissing,
                    name,
                    QStringLiteral("Rule %1 connects trigger %2 to action %3, which does not "
                                   "exist: every fire of the trigger fails to run it.")
                        .arg(name, rule.trigger, key),
                    QStringLiteral("Delete the rule (wsk rule delete %1), recreate action %2, or "
                                   "point the rule at an existing action (wsk rule update %1 %3 "
                                   "<action>).")
                        .arg(rule.name, key, rule.trigger),
                    Finding::Fix::DeleteRule));
            };
            if (actionExists.contains(key)) {
                report(actionExists.value(key));
                next();
                return;
            }
            client->getAction(*action, false, this, [this, key, report, next](Result<Action> a) {
                // Only a 404 means gone; a 403 (another namespace) proves nothing.
                const bool exists = a.ok() || a.error().httpStatus != 404;
                actionExists.insert(key, exists);
                report(exists);
                next();
            });
        });
    }

    void checkTrigger(const Trigger &summary, Next next)
    {
        client->getTrigger(summary.qualifiedName(), this, [this, next](Result<Trigger> r) {
            if (!r) {
                next();
                return;
            }
            const Trigger trigger = *r;
            const QString name = trigger.qualifiedName().toString();
            checkRules(trigger);
            const QString feedText = trigger.feed();
            const auto feed = feedText.isEmpty() ? std::nullopt : client->qualify(feedText);
            if (!feed) {
                next();
                return;
            }
            invokeFeed(*client,
                       *feed,
                       QStringLiteral("READ"),
                       name,
                       {},
                       this,
                       [this, name, feedText, next](FeedAnswer a) {
                           checkFeedAnswer(name, feedText, a);
                           next();
                       });
        });
    }

    void checkRules(const Trigger &trigger)
    {
        const QString name = trigger.qualifiedName().toString();
        int active = 0;
        for (const RuleStatusEntry &e : trigger.rules)
            active += e.active ? 1 : 0;
        if (active > 0)
            return;
        const bool softPaused = journal->isSoftPaused(client->endpoint().apiHost, name);
        QString problem
            = trigger.rules.isEmpty()
                  ? QStringLiteral("Trigger %1 has no rule: its events run nothing.").arg(name)
                  : QStringLiteral("Trigger %1 has %2 rule(s), none active: its "
                                   "events run nothing.")
                        .arg(name)
                        .arg(trigger.rules.size());
        QString fix;
        if (softPaused) {
            problem += QStringLiteral(" It is soft-paused by Feedscope.");
            fix = QStringLiteral("Unpause the trigger to enable its rules again.");
        } else if (trigger.rules.isEmpty()) {
            fix = QStringLiteral("Attach a rule (wsk rule create <rule> %1 <action>) or delete "
                                 "the trigger (and its feed).")
                      .arg(trigger.name);
        } else {
            fix = QStringLiteral("Enable its rules (wsk rule enable <rule>) or delete the trigger "
                                 "(and its feed).");
        }
        Finding f = finding(Finding::Kind::NoActiveRule,
                            name,
                            problem,
                            fix,
                            softPaused ? Finding::Fix::Unpause : Finding::Fix::None);
        f.feed = trigger.feed();
        findings.append(f);
    }

    void checkFeedAnswer(const QString &name, const QString &feedText, const FeedAnswer &a)
    {
        const QString host = client->endpoint().apiHost;
        if (!a.ok) {
            // One click re-creates the entry only with the parameters it was made with.
            const auto known = journal->knownFeedTrigger(host, name);
            const bool canRecreate = known && !known->params.isEmpty();
            Finding f = finding(
                Finding::Kind::FeedUnreadable,
                name,
                QStringLiteral("The feed %1 cannot READ trigger %2 (%3): the provider has no "
                               "usable entry, so the trigger never fires.")
                    .arg(feedText, name, a.error),
                canRecreate ? QStringLiteral("Re-create the feed entry with the parameters it "
                                             "was last known with, or delete the trigger.")
                            : QStringLiteral("Recreate the feed entry (CREATE in the lifecycle "
                                             "console, or delete the trigger and create it "
                                             "again with --feed %1 and its parameters), or "
                                             "delete the trigger.")
                                  .arg(feedText),
                canRecreate ? Finding::Fix::RecreateFeed : Finding::Fix::None);
            f.feed = feedText;
            if (canRecreate)
                f.feedParams = known->params;
            findings.append(f);
            return;
        }
        const QJsonObject status = a.result.toObject().value(QLatin1String("status")).toObject();
        if (!status.contains(QLatin1String("active"))
            || status.value(QLatin1String("active")).toBool())
            return;
        const QJsonObject reason = status.value(QLatin1String("reason")).toObject();
        QString message = reason.value(QLatin1String("message")).toString();
        if (message.endsWith(u'.'))
            message.chop(1);
        // Paused by a person (PAUSE, reason kind USER): UNPAUSE undoes it. The provider's own
        // disabling (AUTO) needs its cause fixed and an UPDATE, which needs parameters.
        const bool paused = reason.value(QLatin1String("kind")).toString() == u"USER";
        Finding f = finding(
            Finding::Kind::FeedInactive,
            name,
            QStringLiteral("The feed %1 has disabled trigger %2%3.")
                .arg(
                    feedText, name, message.isEmpty() ? QString() : QStringLiteral(": ") + message),
            paused ? QStringLiteral("Unpause it.")
                   : QStringLiteral("Update the feed (an UPDATE re-activates it) "
                                    "after fixing the cause."),
            paused ? Finding::Fix::Unpause : Finding::Fix::None);
        f.feed = feedText;
        findings.append(f);
    }

    // Feed triggers remembered at this endpoint that the listing no longer has.
    void checkLeftovers()
    {
        const QString host = client->endpoint().apiHost;
        const QString ns = client->endpoint().ns;
        QSet<QString> listed;
        QList<KnownFeedTrigger> seen;
        for (const Trigger &t : std::as_const(triggers)) {
            const QString name = t.qualifiedName().toString();
            listed.insert(name);
            if (!t.feed().isEmpty()) {
                KnownFeedTrigger known;
                known.trigger = name;
                known.ns = ns;
                known.feed = t.feed();
                seen.append(known);
            }
        }
        journal->rememberFeedTriggers(host, seen);
        // An incomplete listing would make every unlisted trigger look deleted.
        if (!triggersComplete)
            return;
        for (const KnownFeedTrigger &known : journal->knownFeedTriggers(host, ns)) {
            if (listed.contains(known.trigger) || journal->tombstoneFor(host, known.trigger))
                continue;
            Finding f = finding(
                Finding::Kind::LeftoverFeed,
                known.trigger,
                QStringLiteral("Trigger %1 (feed %2) was deleted without its feed's DELETE: the "
                               "provider may still hold its entry and fire into nothing.")
                    .arg(known.trigger, known.feed),
                QStringLiteral("Send the feed its DELETE for %1 (wsk action invoke %2 -p "
                               "lifecycleEvent DELETE -p triggerName %1 -p authKey $AUTH).")
                    .arg(known.trigger, known.feed),
                Finding::Fix::DeleteLeftover);
            f.feed = known.feed;
            findings.append(f);
        }
    }

    void addTombstones()
    {
        for (const Tombstone &t :
             journal->tombstones(client->endpoint().apiHost, client->endpoint().ns)) {
            Finding f = finding(
                Finding::Kind::Tombstone,
                t.trigger,
                t.work == Tombstone::Work::DeleteFeed
                    ? QStringLiteral("The feed %1 still holds an entry for deleted trigger %2: "
                                     "its DELETE failed %3 time(s), last: %4.")
                          .arg(t.feed, t.trigger)
                          .arg(t.attempts)
                          .arg(t.lastError)
                    : QStringLiteral("Work on %1 was interrupted: %2.")
                          .arg(t.trigger, t.describe()),
                QStringLiteral("Retry the tombstone once the feed works; drop it if the "
                               "provider is gone for good."),
                Finding::Fix::RetryTombstone);
            f.feed = t.feed;
            f.tombstoneId = t.id;
            findings.append(f);
        }
    }

    WhiskClientPtr client;
    LifecycleJournalPtr journal;
    QList<Trigger> triggers;
    QList<Rule> rules;
    QHash<QString, bool> actionExists;
    QList<Finding> findings;
    bool triggersComplete = true;
    bool cancelled = false;

private:
    QPointer<OrphanScan> m_scan;
    int m_step = 0;
    int m_count = 2;
};

OrphanScan::OrphanScan(WhiskClientPtr client, LifecycleJournalPtr journal, QObject *parent)
    : QObject(parent)
    , m_client(std::move(client))
    , m_journal(std::move(journal))
{}

OrphanScan::~OrphanScan() = default;

void OrphanScan::cancel()
{
    if (auto *scan = static_cast<ScanRun *>(m_run.data()))
        scan->cancelled = true;
}

bool OrphanScan::isRunning() const
{
    return !m_run.isNull();
}

void OrphanScan::run(QObject *context, std::function<void(QList<Finding>)> done)
{
    auto *scan = new ScanRun(m_client, m_journal, this, context ? context : this);
    m_run = scan;
    QPointer<ScanRun> self(scan);
    auto finish = [self, done] {
        if (!self)
            return;
        if (self->cancelled) {
            self->findings.append(finding(Finding::Kind::ScanIncomplete,
                                          QStringLiteral("scan"),
                                          QStringLiteral("The scan was cancelled: what it did "
                                                         "not reach is not reported."),
                                          QStringLiteral("Scan again to see everything.")));
        } else {
            self->checkLeftovers();
            self->addTombstones();
        }
        const QList<Finding> findings = self->findings;
        self->finished();
        if (done)
            done(findings);
    };
    auto checkTriggers = [self, finish] {
        self->forEach<Trigger>(
            self->triggers,
            [](const Trigger &t) { return QStringLiteral("Trigger %1").arg(t.name); },
            [self](const Trigger &t, ScanRun::Next next) { self->checkTrigger(t, next); },
            finish);
    };
    auto checkRules = [self, checkTriggers] {
        self->setCount(2 + int(self->rules.size() + self->triggers.size()));
        self->forEach<Rule>(
            self->rules,
            [](const Rule &r) { return QStringLiteral("Rule %1").arg(r.name); },
            [self](const Rule &r, ScanRun::Next next) { self->checkRule(r, next); },
            checkTriggers);
    };
    QTimer::singleShot(0, scan, [self, finish, checkRules] {
        if (!self || !self->step(QStringLiteral("Listing triggers"))) {
            finish();
            return;
        }
        self->listTriggers(0, [self, finish, checkRules] {
            if (!self->step(QStringLiteral("Listing rules"))) {
                finish();
                return;
            }
            self->listRules(0, checkRules);
        });
    });
}

Operation *OrphanScan::fix(FeedLifecycle &lifecycle, const Finding &finding)
{
    const auto name = QualifiedName::parse(finding.entity);
    if (!name)
        return nullptr;
    switch (finding.fix) {
    case Finding::Fix::None: return nullptr;
    case Finding::Fix::DeleteLeftover: return lifecycle.removeLeftover(*name, finding.feed);
    case Finding::Fix::RecreateFeed: return lifecycle.recreateFeed(*name, finding.feedParams);
    case Finding::Fix::DeleteRule: return lifecycle.removeDanglingRule(*name);
    case Finding::Fix::RetryTombstone: return lifecycle.retryOwed({finding.tombstoneId});
    case Finding::Fix::Unpause: return lifecycle.unpause(*name);
    }
    return nullptr;
}

} // namespace Feedscope
