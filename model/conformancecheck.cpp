// SPDX-License-Identifier: GPL-3.0-or-later
#include "conformancecheck.h"

#include "feedlifecycle.h"
#include "whiskclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>

#include <memory>

namespace Feedscope {

bool ReportCard::allPassed() const
{
    return !rows.isEmpty() && failures() == 0;
}

QString ConformanceRow::verdict() const
{
    if (!passed)
        return QStringLiteral("FAIL");
    return warning ? QStringLiteral("WARN") : QStringLiteral("PASS");
}

int ReportCard::warnings() const
{
    int n = 0;
    for (const ConformanceRow &r : rows)
        n += r.passed && r.warning ? 1 : 0;
    return n;
}

int ReportCard::failures() const
{
    int n = 0;
    for (const ConformanceRow &r : rows)
        n += r.passed ? 0 : 1;
    return n;
}

const ConformanceRow *ReportCard::row(const QString &step) const
{
    for (const ConformanceRow &r : rows) {
        if (r.step == step)
            return &r;
    }
    return nullptr;
}

QString ReportCard::toText() const
{
    QString text = QStringLiteral("Conformance of %1 (scratch trigger %2): %3 of %4 passed%5\n")
                       .arg(feed, scratchTrigger)
                       .arg(rows.size() - failures())
                       .arg(rows.size())
                       .arg(cancelled ? QStringLiteral(" (cancelled)") : QString());
    for (const ConformanceRow &r : rows) {
        text += QStringLiteral("%1 %2 — expected: %3 — %4\n")
                    .arg(r.verdict(), r.step, r.expected, r.detail);
    }
    return text;
}

namespace {

QString compact(const QJsonValue &v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return v.toVariant().toString();
}

// Whether `key: value` appears anywhere in `haystack`, or (for a non-trivial value) the value
// under another key: feeds may rename (alarms stores trigger_payload as config.payload).
bool mentions(const QJsonValue &haystack, const QString &key, const QJsonValue &value)
{
    if (haystack.isObject()) {
        const QJsonObject o = haystack.toObject();
        if (o.value(key) == value)
            return true;
        const bool distinctive = (value.isString() && !value.toString().isEmpty())
                                 || value.isObject() || value.isArray();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (distinctive && it.value() == value)
                return true;
            if (mentions(it.value(), key, value))
                return true;
        }
    } else if (haystack.isArray()) {
        for (const QJsonValue &v : haystack.toArray()) {
            if (mentions(v, key, value))
                return true;
        }
    }
    return false;
}

QStringList missingParams(const QJsonValue &answer, const QJsonObject &params)
{
    QStringList missing;
    for (auto it = params.begin(); it != params.end(); ++it) {
        if (!mentions(answer, it.key(), it.value()))
            missing.append(it.key());
    }
    return missing;
}

// A finished activation that either succeeded or failed with a readable application error:
// no crash (developer error), no timeout, no platform error.
bool isClean(const FeedAnswer &a)
{
    if (!a.finished)
        return false;
    if (a.ok)
        return true;
    return a.activationStatus == u"application error" && !a.error.isEmpty();
}

QString describe(const FeedAnswer &a)
{
    if (a.ok)
        return QStringLiteral("success: ") + compact(a.result);
    if (!a.finished)
        return QStringLiteral("no activation result: ") + a.error;
    return QStringLiteral("%1: %2").arg(
        a.activationStatus.isEmpty() ? QStringLiteral("error") : a.activationStatus, a.error);
}

} // namespace

// One run: a queue of named asynchronous steps, owned by the caller's context. The last step
// is the clean-up, which cancel() keeps.
class ConformanceRun : public QObject
{
public:
    using Step = std::function<void(std::function<void()>)>;

    ConformanceRun(WhiskClientPtr client, ConformanceCheck *check, QObject *context)
        : QObject(context)
        , m_client(std::move(client))
        , m_check(check)
    {}

    void add(const QString &name, Step step)
    {
        m_names.append(name);
        m_steps.append(std::move(step));
    }
    void start(std::function<void(ReportCard)> done)
    {
        m_done = std::move(done);
        m_count = int(m_steps.size());
        QTimer::singleShot(0, this, [this] { next(); });
    }
    void row(const QString &step,
             const QString &expected,
             bool passed,
             const QString &detail,
             bool warning = false)
    {
        ConformanceRow r;
        r.step = step;
        r.expected = expected;
        r.passed = passed;
        r.detail = detail;
        r.warning = warning;
        card.rows.append(r);
    }
    // Skip everything but the final clean-up.
    void abort()
    {
        if (m_steps.size() > 1) {
            m_index += int(m_steps.size()) - 1;
            m_steps.erase(m_steps.begin(), m_steps.end() - 1);
            m_names.erase(m_names.begin(), m_names.end() - 1);
        }
    }
    void cancel()
    {
        card.cancelled = true;
        abort();
    }

    WhiskClient &client() { return *m_client; }
    ReportCard card;

private:
    void next()
    {
        if (m_steps.isEmpty()) {
            if (m_check && m_check->m_run == this)
                m_check->m_run = nullptr;
            deleteLater();
            if (m_done)
                m_done(card);
            return;
        }
        const Step step = m_steps.takeFirst();
        const QString name = m_names.takeFirst();
        if (m_check)
            Q_EMIT m_check->progress(m_index, m_count, name);
        ++m_index;
        QPointer<ConformanceRun> self(this);
        step([self] {
            if (self)
                QTimer::singleShot(0, self, [self] { self->next(); });
        });
    }

    WhiskClientPtr m_client;
    QPointer<ConformanceCheck> m_check;
    QList<Step> m_steps;
    QStringList m_names;
    int m_index = 0;
    int m_count = 0;
    std::function<void(ReportCard)> m_done;
};

ConformanceCheck::ConformanceCheck(WhiskClientPtr client, QObject *parent)
    : QObject(parent)
    , m_client(std::move(client))
{}

ConformanceCheck::~ConformanceCheck() = default;

void ConformanceCheck::cancel()
{
    if (auto *run = static_cast<ConformanceRun *>(m_run.data()))
        run->cancel();
}

bool ConformanceCheck::isRunning() const
{
    return !m_run.isNull();
}

void ConformanceCheck::run(const QualifiedName &feed,
                           const QJsonObject &sampleParams,
                           QObject *context,
                           std::function<void(ReportCard)> done,
                           const QJsonObject &updateParams)
{
    auto *run = new ConformanceRun(m_client, this, context ? context : this);
    m_run = run;
    const QString suffix = QString::number(QRandomGenerator::global()->generate64(), 36);
    const QualifiedName requested{m_client->endpoint().ns.isEmpty() ? QStringLiteral("_")
                                                                    : m_client->endpoint().ns,
                                  {},
                                  QStringLiteral("feedscope-check-") + suffix};
    const QJsonObject update = updateParams.isEmpty() ? sampleParams : updateParams;
    run->card.feed = feed.toString();

    struct State
    {
        QualifiedName trigger;
        bool triggerCreated = false;
        bool pauseSupported = false;
        bool pauseRefused = false;
    };
    auto s = std::make_shared<State>();
    s->trigger = requested;
    const WhiskClientPtr client = m_client;
    auto triggerName = [s] {
        return s->trigger.toString();
    };
    using Next = std::function<void()>;

    // A step that sends `event` and judges the answer with `judge`.
    auto feedStep = [run, client, feed, triggerName](const QString &event,
                                                     QJsonObject params,
                                                     std::function<void(const FeedAnswer &)> judge,
                                                     const QString &authKey = {}) {
        return [run, client, feed, triggerName, event, params, judge, authKey](Next next) {
            invokeFeed(
                *client,
                feed,
                event,
                triggerName(),
                params,
                run,
                [judge, next](FeedAnswer a) {
                    judge(a);
                    next();
                },
                authKey);
        };
    };
    auto readStep = [run,
                     feedStep](const QString &step,
                               const QString &expected,
                               std::function<std::pair<bool, QString>(const FeedAnswer &)> check,
                               std::function<bool()> warn = {}) {
        return feedStep(
            QStringLiteral("READ"), {}, [run, step, expected, check, warn](const FeedAnswer &a) {
                const auto [passed, detail] = check(a);
                run->row(step, expected, passed, detail, passed && warn && warn());
            });
    };
    auto statusActive = [](const FeedAnswer &a) -> std::optional<bool> {
        const QJsonValue status = a.result.toObject().value(QLatin1String("status"));
        if (!status.isObject() || !status.toObject().contains(QLatin1String("active")))
            return std::nullopt;
        return status.toObject().value(QLatin1String("active")).toBool();
    };

    // Set-up: the scratch trigger, annotated like a real feed trigger.
    run->add(QStringLiteral("Set up a scratch trigger"), [run, client, s, feed](Next next) {
        Trigger t;
        t.annotations.set(QStringLiteral("feed"), feed.toString());
        client->putTrigger(s->trigger, t, false, run, [run, s, next](Result<Trigger> r) {
            if (!r) {
                run->row(QStringLiteral("Set up a scratch trigger"),
                         QStringLiteral("trigger created"),
                         false,
                         r.error().message);
                run->abort();
            } else {
                s->trigger = r->qualifiedName();
                s->triggerCreated = true;
                run->card.scratchTrigger = s->trigger.toString();
            }
            next();
        });
    });

    run->add(QStringLiteral("CREATE"),
             feedStep(QStringLiteral("CREATE"), sampleParams, [run](const FeedAnswer &a) {
                 run->row(QStringLiteral("CREATE"), QStringLiteral("success"), a.ok, describe(a));
             }));
    run->add(
        QStringLiteral("READ after CREATE"),
        readStep(
            QStringLiteral("READ after CREATE"),
            QStringLiteral("success; the answer shows the sample parameters and an "
                           "active status"),
            [sampleParams, statusActive](const FeedAnswer &a) -> std::pair<bool, QString> {
                if (!a.ok)
                    return {false, describe(a)};
                const QStringList missing = missingParams(a.result, sampleParams);
                if (!missing.isEmpty())
                    return {false,
                            QStringLiteral("parameters not in the answer: %1 — %2")
                                .arg(missing.join(QStringLiteral(", ")), compact(a.result))};
                if (statusActive(a) == false)
                    return {false, QStringLiteral("status.active is false: ") + compact(a.result)};
                return {true, compact(a.result)};
            }));
    run->add(QStringLiteral("UPDATE"),
             feedStep(QStringLiteral("UPDATE"), update, [run](const FeedAnswer &a) {
                 run->row(QStringLiteral("UPDATE"), QStringLiteral("success"), a.ok, describe(a));
             }));
    run->add(QStringLiteral("READ after UPDATE"),
             readStep(QStringLiteral("READ after UPDATE"),
                      QStringLiteral("success; the answer shows the updated parameters"),
                      [update](const FeedAnswer &a) -> std::pair<bool, QString> {
                          if (!a.ok)
                              return {false, describe(a)};
                          const QStringList missing = missingParams(a.result, update);
                          if (!missing.isEmpty())
                              return {
                                  false,
                                  QStringLiteral("not updated: %1 — %2")
                                      .arg(missing.join(QStringLiteral(", ")), compact(a.result))};
                          return {true, compact(a.result)};
                      }));

    const QString pauseExpected
        = QStringLiteral("success, or a clean 'unsupported lifecycleEvent' refusal");
    run->add(QStringLiteral("PAUSE"),
             feedStep(QStringLiteral("PAUSE"), {}, [run, s, pauseExpected](const FeedAnswer &a) {
                 s->pauseSupported = a.ok;
                 s->pauseRefused = isClean(a) && a.unsupported();
                 run->row(QStringLiteral("PAUSE"),
                          pauseExpected,
                          a.ok || s->pauseRefused,
                          a.ok ? describe(a)
                               : (s->pauseRefused
                                      ? QStringLiteral("not supported (%1): clients fall back "
                                                       "to a soft pause")
                                            .arg(a.error)
                                      : describe(a)),
                          s->pauseRefused);
             }));
    run->add(QStringLiteral("READ after PAUSE"), [run, feedStep, s, statusActive](Next next) {
        if (!s->pauseSupported) {
            next();
            return;
        }
        feedStep(QStringLiteral("READ"), {}, [run, statusActive](const FeedAnswer &a) {
            const auto active = statusActive(a);
            run->row(QStringLiteral("READ after PAUSE"),
                     QStringLiteral("status.active is false"),
                     a.ok && active == false,
                     a.ok ? compact(a.result) : describe(a));
        })(next);
    });
    run->add(QStringLiteral("UNPAUSE"),
             feedStep(QStringLiteral("UNPAUSE"), {}, [run, s](const FeedAnswer &a) {
                 const bool refused = isClean(a) && a.unsupported();
                 const bool consistent = s->pauseSupported ? a.ok : (a.ok || refused);
                 run->row(QStringLiteral("UNPAUSE"),
                          s->pauseSupported ? QStringLiteral("success (PAUSE was supported)")
                                            : QStringLiteral("success, or a clean 'unsupported "
                                                             "lifecycleEvent' refusal"),
                          consistent,
                          describe(a),
                          consistent && !a.ok);
             }));
    run->add(QStringLiteral("READ after UNPAUSE"), [run, feedStep, s, statusActive](Next next) {
        if (!s->pauseSupported) {
            next();
            return;
        }
        feedStep(QStringLiteral("READ"), {}, [run, statusActive](const FeedAnswer &a) {
            const auto active = statusActive(a);
            run->row(QStringLiteral("READ after UNPAUSE"),
                     QStringLiteral("status.active is true"),
                     a.ok && active == true,
                     a.ok ? compact(a.result) : describe(a));
        })(next);
    });

    // Edge case: CREATE on a trigger that already has an entry.
    auto secondCreate = std::make_shared<FeedAnswer>();
    run->add(QStringLiteral("CREATE again"),
             feedStep(QStringLiteral("CREATE"), sampleParams, [secondCreate](const FeedAnswer &a) {
                 *secondCreate = a;
             }));
    run->add(QStringLiteral("CREATE twice"),
             readStep(
                 QStringLiteral("CREATE twice"),
                 QStringLiteral("success (replaces) or a clean refusal; the entry stays "
                                "readable"),
                 [secondCreate](const FeedAnswer &a) -> std::pair<bool, QString> {
                     const bool clean = isClean(*secondCreate);
                     return {clean && a.ok,
                             QStringLiteral("second CREATE: %1; READ: %2")
                                 .arg(describe(*secondCreate), describe(a))};
                 },
                 [secondCreate] {
                     // Refusing is allowed, but a client re-creating must DELETE first.
                     return !secondCreate->ok;
                 }));

    run->add(QStringLiteral("DELETE"),
             feedStep(QStringLiteral("DELETE"), {}, [run](const FeedAnswer &a) {
                 run->row(QStringLiteral("DELETE"), QStringLiteral("success"), a.ok, describe(a));
             }));
    run->add(QStringLiteral("READ after DELETE"),
             readStep(QStringLiteral("READ after DELETE"),
                      QStringLiteral("a clean refusal: the entry is gone"),
                      [](const FeedAnswer &a) -> std::pair<bool, QString> {
                          return {!a.ok && isClean(a), describe(a)};
                      }));

    // Edge case: DELETE for a trigger the feed never saw.
    run->add(QStringLiteral("DELETE of an unknown trigger"), [run, client, feed, s](Next next) {
        const QString unknown = u'/' + s->trigger.ns + QStringLiteral("/") + s->trigger.name
                                + QStringLiteral("-unknown");
        invokeFeed(
            *client, feed, QStringLiteral("DELETE"), unknown, {}, run, [run, next](FeedAnswer a) {
                run->row(QStringLiteral("DELETE of an unknown trigger"),
                         QStringLiteral("a clean answer (refusal or success), no crash or "
                                        "timeout"),
                         isClean(a),
                         describe(a));
                next();
            });
    });

    // Edge case: a key that does not own the trigger must be refused (the upstream providers
    // check it by reading the trigger with it, PROTOCOL.md 4.3).
    const QString wrongKey = QStringLiteral("00000000-0000-4000-8000-000000000000:"
                                            "feedscopeWrongKeyfeedscopeWrongKeyfeedscopeWrongKey0");
    run->add(QStringLiteral("CREATE with a wrong key"),
             feedStep(
                 QStringLiteral("CREATE"),
                 sampleParams,
                 [run](const FeedAnswer &a) {
                     run->row(QStringLiteral("CREATE with a wrong key"),
                              QStringLiteral("a clean refusal"),
                              !a.ok && isClean(a),
                              describe(a));
                 },
                 wrongKey));

    // Clean-up, always: the feed entry (ignoring "not found") and the scratch trigger.
    run->add(QStringLiteral("Clean up"), [run, client, feed, s](Next next) {
        if (!s->triggerCreated) {
            next();
            return;
        }
        invokeFeed(*client,
                   feed,
                   QStringLiteral("DELETE"),
                   s->trigger.toString(),
                   {},
                   run,
                   [run, client, s, next](FeedAnswer) {
                       client->deleteTrigger(s->trigger, run, [run, next](Result<Trigger> r) {
                           run->row(QStringLiteral("Clean up"),
                                    QStringLiteral("scratch trigger deleted"),
                                    r.ok(),
                                    r ? QStringLiteral("deleted") : r.error().message);
                           next();
                       });
                   });
    });

    run->start(std::move(done));
}

} // namespace Feedscope
