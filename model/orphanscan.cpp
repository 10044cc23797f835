// SPDX-License-Identifier: GPL-3.0-or-later
#include "orphanscan.h"

#include "feedlifecycle.h"
#include "lifecyclejournal.h"
#include "whiskclient.h"

#include <QHash>
#include <QPointer>
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
    }
    return {};
}

namespace {

constexpr int pageSize = 200;

// The state of one scan; the context of all its requests, a child of the caller's context.
class ScanRun : public QObject
{
public:
    using Next = std::function<void()>;

    ScanRun(WhiskClientPtr client, LifecycleJournalPtr journal, QObject *context)
        : QObject(context)
        , client(std::move(client))
        , journal(std::move(journal))
    {}

    // Runs `fn` on each item in turn, then `done`.
    template<typename T>
    void forEach(QList<T> items, std::function<void(const T &, Next)> fn, Next done)
    {
        auto index = std::make_shared<qsizetype>(0);
        auto step = std::make_shared<std::function<void()>>();
        QPointer<ScanRun> self(this);
        *step = [self, items, fn, done, index, step] {
            if (!self)
                return;
            if (*index >= items.size()) {
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
        findings.append(Finding{Finding::Kind::ScanIncomplete,
                                what,
                                QStringLiteral("Could not read the %1: %2").arg(what, error),
                                QStringLiteral("Check the connection and the key, then scan "
                                               "again.")});
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
                findings.append(Finding{
                    Finding::Kind::RuleActionMissing,
                    name,
                    QStringLiteral("Rule %1 connects trigger %2 to action %3, which does not "
                                   "exist: every fire of the trigger fails to run it.")
                        .arg(name, rule.trigger, key),
                    QStringLiteral("Delete the rule (wsk rule delete %1), recreate action %2, or "
                                   "point the rule at an existing action (wsk rule update %1 %3 "
                                   "<action>).")
                        .arg(rule.name, key, rule.trigger)});
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
            int active = 0;
            for (const RuleStatusEntry &e : trigger.rules)
                active += e.active ? 1 : 0;
            if (active == 0) {
                const bool softPaused = journal->isSoftPaused(client->endpoint().apiHost, name);
                QString problem = trigger.rules.isEmpty()
                                      ? QStringLiteral("Trigger %1 has no rule: its events run "
                                                       "nothing.")
                                            .arg(name)
                                      : QStringLiteral("Trigger %1 has %2 rule(s), none active: "
                                                       "its events run nothing.")
                                            .arg(name)
                                            .arg(trigger.rules.size());
                QString fix;
                if (softPaused) {
                    problem += QStringLiteral(" It is soft-paused by Feedscope.");
                    fix = QStringLiteral("Unpause the trigger to enable its rules again.");
                } else if (trigger.rules.isEmpty()) {
                    fix = QStringLiteral("Attach a rule (wsk rule create <rule> %1 <action>) or "
                                         "delete the trigger (and its feed).")
                              .arg(trigger.name);
                } else {
                    fix = QStringLiteral("Enable its rules (wsk rule enable <rule>) or delete the "
                                         "trigger (and its feed).");
                }
                findings.append(Finding{Finding::Kind::NoActiveRule, name, problem, fix});
            }
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
                       [this, name, feedText, trigger, next](FeedAnswer a) {
                           if (!a.ok) {
                               findings.append(Finding{
                                   Finding::Kind::FeedUnreadable,
                                   name,
                                   QStringLiteral("The feed %1 cannot READ trigger %2 (%3): the "
                                                  "provider has no usable entry, so the trigger "
                                                  "never fires.")
                                       .arg(feedText, name, a.error),
                                   QStringLiteral("Recreate the feed entry (delete the trigger "
                                                  "and create it again with --feed %1 and its "
                                                  "parameters), or delete the trigger.")
                                       .arg(feedText)});
                           } else {
                               const QJsonObject status
                                   = a.result.toObject().value(QLatin1String("status")).toObject();
                               if (status.contains(QLatin1String("active"))
                                   && !status.value(QLatin1String("active")).toBool()) {
                                   const QString reason = status.value(QLatin1String("reason"))
                                                              .toObject()
                                                              .value(QLatin1String("message"))
                                                              .toString();
                                   findings.append(Finding{
                                       Finding::Kind::FeedInactive,
                                       name,
                                       QStringLiteral("The feed %1 has disabled trigger %2%3.")
                                           .arg(feedText,
                                                name,
                                                reason.isEmpty() ? QString()
                                                                 : QStringLiteral(": ") + reason),
                                       QStringLiteral("Unpause it if it was paused, or update the "
                                                      "feed (an UPDATE re-activates it) after "
                                                      "fixing the cause.")});
                               }
                           }
                           next();
                       });
        });
    }

    WhiskClientPtr client;
    LifecycleJournalPtr journal;
    QList<Trigger> triggers;
    QList<Rule> rules;
    QHash<QString, bool> actionExists;
    QList<Finding> findings;
};

} // namespace

OrphanScan::OrphanScan(WhiskClientPtr client, LifecycleJournalPtr journal, QObject *parent)
    : QObject(parent)
    , m_client(std::move(client))
    , m_journal(std::move(journal))
{}

void OrphanScan::run(QObject *context, std::function<void(QList<Finding>)> done)
{
    auto *scan = new ScanRun(m_client, m_journal, context ? context : this);
    QPointer<ScanRun> self(scan);
    auto finish = [self, done] {
        if (!self)
            return;
        for (const Tombstone &t : self->journal->tombstones(self->client->endpoint().apiHost,
                                                            self->client->endpoint().ns)) {
            self->findings.append(Finding{
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
                               "provider is gone for good.")});
        }
        const QList<Finding> findings = self->findings;
        self->deleteLater();
        if (done)
            done(findings);
    };
    QTimer::singleShot(0, scan, [self, finish] {
        if (!self)
            return;
        self->listTriggers(0, [self, finish] {
            self->listRules(0, [self, finish] {
                self->forEach<Rule>(
                    self->rules,
                    [self](const Rule &r, ScanRun::Next next) { self->checkRule(r, next); },
                    [self, finish] {
                        self->forEach<Trigger>(
                            self->triggers,
                            [self](const Trigger &t, ScanRun::Next next) {
                                self->checkTrigger(t, next);
                            },
                            finish);
                    });
            });
        });
    });
}

} // namespace Feedscope
