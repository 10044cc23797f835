// SPDX-License-Identifier: GPL-3.0-or-later
#include "blueprints.h"

#include "entityname.h"
#include "whiskclient.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

#ifndef FEEDSCOPE_RESOURCES_DIR
#define FEEDSCOPE_RESOURCES_DIR ""
#endif

namespace Feedscope {

namespace {

const QString nodeKind = QStringLiteral("nodejs:20");

// The handler a blueprint adds when no target action is given. It logs the event (without the
// platform's __ow_* fields: __ow_headers carries the fire call's Authorization header) and
// returns it, so the Monitor shows every event that reached the end of the chain.
const char handlerSource[] = R"js(// SPDX-License-Identifier: GPL-3.0-or-later
// Feedscope blueprint handler: logs every event its rule delivers and returns it.
'use strict';

function main(params) {
    const event = {};
    for (const [key, value] of Object.entries(params || {})) {
        if (!key.startsWith('__ow_')) event[key] = value;
    }
    console.log(`event: ${JSON.stringify(event)}`);
    return { received: event };
}

exports.main = main;
)js";

WhiskError blueprintError(const QString &message)
{
    WhiskError e;
    e.kind = WhiskError::Kind::Protocol;
    e.message = message;
    return e;
}

QJsonObject kvObject(const QJsonValue &list)
{
    return KeyValueList(list.toArray()).toObject();
}

// A word the shell takes literally, quoted only when it has to be.
QString shellQuote(const QString &word)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_@%+=:,./-]+$"));
    if (!word.isEmpty() && plain.match(word).hasMatch())
        return word;
    QString quoted = word;
    quoted.replace(u'\'', QStringLiteral("'\\''"));
    return u'\'' + quoted + u'\'';
}

// A parameter value as `wsk -p key value` needs it: the CLI parses the value as JSON when it
// can, so a string that would parse (e.g. "42", "true") is passed as a JSON string.
QString wskValue(const QJsonValue &value)
{
    if (value.isString()) {
        const QString text = value.toString();
        QJsonParseError error;
        QJsonDocument::fromJson(QByteArray("[") + text.toUtf8() + QByteArray("]"), &error);
        const bool parses = error.error == QJsonParseError::NoError && !text.trimmed().isEmpty();
        if (!parses)
            return shellQuote(text);
        return shellQuote(QString::fromUtf8(
            QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact).mid(1).chopped(1)));
    }
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return shellQuote(QString::fromUtf8(json.mid(1).chopped(1)));
}

QString wskPairs(const QString &flag, const QJsonObject &pairs)
{
    QString out;
    for (auto it = pairs.begin(); it != pairs.end(); ++it)
        out += u' ' + flag + u' ' + shellQuote(it.key()) + u' ' + wskValue(it.value());
    return out;
}

QString wskPairs(const QString &flag, const QJsonArray &keyValues)
{
    QString out;
    for (const QJsonValue &pair : keyValues) {
        const QJsonObject o = pair.toObject();
        out += u' ' + flag + u' ' + shellQuote(o.value(QLatin1String("key")).toString()) + u' ' +
               wskValue(o.value(QLatin1String("value")));
    }
    return out;
}

QString commandName(const QString &name, const QString &ns)
{
    // Relative names stay relative for the CLI's default namespace.
    return shellQuote(ns.isEmpty() || ns == u"_" ? name : qualifyEntityName(name, ns));
}

QString readTemplate(const QString &directory, const QString &file, QString *error)
{
    QFile f(QDir(directory).filePath(file));
    if (!f.open(QIODevice::ReadOnly)) {
        *error =
            QStringLiteral("Cannot read the template %1: %2").arg(f.fileName(), f.errorString());
        return {};
    }
    return QString::fromUtf8(f.readAll());
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

QString feedPatternName(FeedPattern pattern)
{
    switch (pattern) {
    case FeedPattern::Hook:
        return QStringLiteral("hook");
    case FeedPattern::Polling:
        return QStringLiteral("polling");
    case FeedPattern::Connection:
        return QStringLiteral("connection");
    }
    return {};
}

QString entityKindName(PlannedEntity::Kind kind)
{
    switch (kind) {
    case PlannedEntity::Kind::Package:
        return QStringLiteral("package");
    case PlannedEntity::Kind::Binding:
        return QStringLiteral("binding");
    case PlannedEntity::Kind::Action:
        return QStringLiteral("action");
    case PlannedEntity::Kind::Trigger:
        return QStringLiteral("trigger");
    case PlannedEntity::Kind::Rule:
        return QStringLiteral("rule");
    }
    return {};
}

QString qualifyEntityName(const QString &name, const QString &ns)
{
    if (name.startsWith(u'/'))
        return name;
    return u'/' + (ns.isEmpty() ? QStringLiteral("_") : ns) + u'/' + name;
}

QString relativeEntityName(const QString &name, const QString &ns)
{
    const QString prefix = u'/' + (ns.isEmpty() ? QStringLiteral("_") : ns) + u'/';
    if (name.startsWith(prefix))
        return name.mid(prefix.size());
    if (name.startsWith(QStringLiteral("/_/")))
        return name.mid(3);
    return name;
}

// ---------------------------------------------------------------------------------------------
// PlannedEntity
// ---------------------------------------------------------------------------------------------

bool PlannedEntity::isSequence() const
{
    return kind == Kind::Action &&
           body.value(QLatin1String("exec")).toObject().value(QLatin1String("kind")).toString() ==
               u"sequence";
}

QString PlannedEntity::packageName() const
{
    const qsizetype slash = name.indexOf(u'/');
    return kind == Kind::Action && slash > 0 ? name.left(slash) : QString();
}

QString PlannedEntity::simpleName() const
{
    return name.mid(name.lastIndexOf(u'/') + 1);
}

Action PlannedEntity::action() const
{
    Action a = Action::fromJson(body);
    a.name = simpleName();
    return a;
}

Package PlannedEntity::package() const
{
    Package p = Package::fromJson(body);
    p.name = name;
    return p;
}

Trigger PlannedEntity::trigger() const
{
    Trigger t = Trigger::fromJson(body);
    t.name = name;
    return t;
}

Rule PlannedEntity::rule() const
{
    Rule r = Rule::fromJson(body);
    r.name = name;
    return r;
}

QJsonObject PlannedEntity::canonical() const
{
    QJsonObject c{
        {QStringLiteral("kind"), entityKindName(kind)},
        {QStringLiteral("name"), name},
        {QStringLiteral("parameters"), kvObject(body.value(QLatin1String("parameters")))},
        {QStringLiteral("annotations"), kvObject(body.value(QLatin1String("annotations")))}};
    switch (kind) {
    case Kind::Package:
        break;
    case Kind::Binding: {
        const QJsonObject b = body.value(QLatin1String("binding")).toObject();
        c.insert(QStringLiteral("binding"),
                 QString(u'/' + b.value(QLatin1String("namespace")).toString() + u'/' +
                         b.value(QLatin1String("name")).toString()));
        break;
    }
    case Kind::Action: {
        const QJsonObject exec = body.value(QLatin1String("exec")).toObject();
        QJsonObject e{{QStringLiteral("kind"), exec.value(QLatin1String("kind"))}};
        for (const char *field : {"code", "main", "components", "image"}) {
            const QJsonValue v = exec.value(QLatin1String(field));
            if (!v.isUndefined() && !(v.isString() && v.toString().isEmpty()))
                e.insert(QLatin1String(field), v);
        }
        c.insert(QStringLiteral("exec"), e);
        break;
    }
    case Kind::Trigger:
        c.insert(QStringLiteral("feed"), feed);
        c.insert(QStringLiteral("feedParameters"), feedParameters);
        break;
    case Kind::Rule:
        c.insert(QStringLiteral("trigger"), body.value(QLatin1String("trigger")));
        c.insert(QStringLiteral("action"), body.value(QLatin1String("action")));
        break;
    }
    return c;
}

PlannedEntity PlannedEntity::makePackage(const QString &name,
                                         const QJsonObject &parameters,
                                         const QJsonObject &annotations)
{
    Package p;
    p.name = name;
    p.parameters = KeyValueList::fromObject(parameters);
    p.annotations = KeyValueList::fromObject(annotations);
    return PlannedEntity{Kind::Package, name, p.toPutBody(), {}, {}, {}};
}

PlannedEntity PlannedEntity::makeBinding(const QString &name,
                                         const QString &target,
                                         const QJsonObject &parameters,
                                         const QJsonObject &annotations)
{
    Package p;
    p.name = name;
    const QStringList parts = target.split(u'/', Qt::SkipEmptyParts);
    p.bindingNamespace = parts.value(0);
    p.bindingName = parts.value(1);
    p.parameters = KeyValueList::fromObject(parameters);
    p.annotations = KeyValueList::fromObject(annotations);
    return PlannedEntity{Kind::Binding, name, p.toPutBody(), {}, {}, {}};
}

PlannedEntity PlannedEntity::makeAction(const QString &name,
                                        const QString &kind,
                                        const QString &code,
                                        const QString &codeFile,
                                        const QJsonObject &parameters,
                                        const QJsonObject &annotations)
{
    Action a;
    a.name = name.mid(name.lastIndexOf(u'/') + 1);
    a.kind = kind;
    a.code = code;
    a.parameters = KeyValueList::fromObject(parameters);
    a.annotations = KeyValueList::fromObject(annotations);
    return PlannedEntity{Kind::Action, name, a.toPutBody(), codeFile, {}, {}};
}

PlannedEntity PlannedEntity::makeSequence(const QString &name,
                                          const QStringList &components,
                                          const QString &ns,
                                          const QJsonObject &annotations)
{
    Action a;
    a.name = name.mid(name.lastIndexOf(u'/') + 1);
    a.kind = QStringLiteral("sequence");
    for (const QString &component : components)
        a.components.append(qualifyEntityName(component, ns));
    a.annotations = KeyValueList::fromObject(annotations);
    return PlannedEntity{Kind::Action, name, a.toPutBody(), {}, {}, {}};
}

PlannedEntity PlannedEntity::makeTrigger(const QString &name,
                                         const QString &feed,
                                         const QJsonObject &feedParameters,
                                         const QString &ns,
                                         const QJsonObject &parameters,
                                         const QJsonObject &annotations)
{
    Trigger t;
    t.name = name;
    t.parameters = KeyValueList::fromObject(parameters);
    t.annotations = KeyValueList::fromObject(annotations);
    // As `wsk trigger create --feed`: the annotation names the feed fully qualified (PROTOCOL.md
    // 3.2); the feed parameters are not stored on the trigger.
    if (!feed.isEmpty())
        t.annotations.set(QStringLiteral("feed"), qualifyEntityName(feed, ns));
    return PlannedEntity{Kind::Trigger,
                         name,
                         t.toPutBody(),
                         {},
                         feed,
                         feed.isEmpty() ? QJsonObject() : feedParameters};
}

PlannedEntity PlannedEntity::makeRule(const QString &name,
                                      const QString &trigger,
                                      const QString &action,
                                      const QString &ns)
{
    const QJsonObject body{{QStringLiteral("trigger"), qualifyEntityName(trigger, ns)},
                           {QStringLiteral("action"), qualifyEntityName(action, ns)}};
    return PlannedEntity{Kind::Rule, name, body, {}, {}, {}};
}

// ---------------------------------------------------------------------------------------------
// Blueprint
// ---------------------------------------------------------------------------------------------

const PlannedEntity *Blueprint::find(const QString &name, PlannedEntity::Kind kind) const
{
    for (const PlannedEntity &e : entities) {
        if (e.kind == kind && e.name == name)
            return &e;
    }
    return nullptr;
}

QString Blueprint::defaultTemplatesDirectory()
{
    return QStringLiteral(FEEDSCOPE_RESOURCES_DIR "/templates");
}

Result<Blueprint> Blueprint::build(const BlueprintInputs &inputs, const QString &templatesDirectory)
{
    const QString ns = inputs.ns.isEmpty() ? QStringLiteral("_") : inputs.ns;
    const QString base = inputs.name.trimmed();
    // The longest derived name is "<base>-handler"; every derived name must be valid too.
    if (base.isEmpty() || !isValidEntityName(base) ||
        !isValidEntityName(QString(base + u"-handler")))
        return blueprintError(QStringLiteral("'%1' is not a valid entity name").arg(base));
    const QUrl source(inputs.sourceUrl.trimmed());
    if (!source.isValid() || (source.scheme() != u"http" && source.scheme() != u"https") ||
        source.host().isEmpty()) {
        return blueprintError(
            QStringLiteral("The source URL '%1' is not an http(s) URL").arg(inputs.sourceUrl));
    }
    const QString target = inputs.targetAction.trimmed();
    if (!target.isEmpty() && !QualifiedName::parse(target, ns))
        return blueprintError(QStringLiteral("'%1' is not a valid action name").arg(target));
    if (inputs.pattern == FeedPattern::Polling && inputs.schedule.trimmed().isEmpty())
        return blueprintError(QStringLiteral("The polling blueprint needs a schedule (cron)"));

    const QString templateFile = feedPatternName(inputs.pattern) + QStringLiteral("/feed.js");
    QString error;
    const QString feedCode = readTemplate(templatesDirectory, templateFile, &error);
    if (!error.isEmpty())
        return blueprintError(error);

    Blueprint bp;
    bp.inputs = inputs;
    bp.inputs.ns = ns;
    bp.triggerName = base;
    const QString package = base + QStringLiteral("-feed");
    const QString feedAction = package + QStringLiteral("/feed");
    bp.handlerAction = target.isEmpty() ? base + QStringLiteral("-handler") : target;
    const QString serviceUrl = inputs.sourceUrl.trimmed();

    QJsonObject packageParameters;
    QJsonObject feedParameters;
    const QString description = QStringLiteral("Feedscope %1 feed for trigger '%2' (blueprint)")
                                    .arg(feedPatternName(inputs.pattern), base);
    switch (inputs.pattern) {
    case FeedPattern::Hook:
        packageParameters.insert(QStringLiteral("serviceUrl"), serviceUrl);
        if (!inputs.credentials.isEmpty()) {
            packageParameters.insert(QStringLiteral("headers"), inputs.credentials);
            bp.notes.append(QStringLiteral(
                "The credentials are bound as the package parameter 'headers'; the stock hook "
                "template does not send them: adapt register() in feed.js if the service's "
                "webhook API needs them."));
        }
        break;
    case FeedPattern::Polling: {
        // The ticks come from the alarms package through a binding of our own, so the schedule
        // provider can be swapped (or given defaults) without touching the feed.
        const QString alarms = base + QStringLiteral("-alarms");
        bp.entities.append(PlannedEntity::makeBinding(
            alarms,
            QStringLiteral("/whisk.system/alarms"),
            {},
            {{QStringLiteral("description"),
              QStringLiteral("Alarms for the polling feed of '%1'").arg(base)}}));
        packageParameters.insert(QStringLiteral("serviceUrl"), serviceUrl);
        packageParameters.insert(QStringLiteral("alarmFeed"),
                                 qualifyEntityName(alarms + QStringLiteral("/alarm"), ns));
        if (!inputs.credentials.isEmpty()) {
            packageParameters.insert(QStringLiteral("headers"), inputs.credentials);
            bp.notes.append(QStringLiteral(
                "The credentials are bound as the package parameter 'headers'; the stock poll "
                "action does not send them: pass a customised poll.js as 'pollCode'."));
        }
        feedParameters.insert(QStringLiteral("cron"), inputs.schedule.trimmed());
        bp.notes.append(QStringLiteral("On CREATE the feed makes %1-tick (alarm trigger), %1-poll "
                                       "(poll action) and %1-poll-rule; DELETE removes them.")
                            .arg(base));
        break;
    }
    case FeedPattern::Connection:
        feedParameters.insert(QStringLiteral("url"), serviceUrl);
        if (!inputs.credentials.isEmpty())
            feedParameters.insert(QStringLiteral("headers"), inputs.credentials);
        bp.notes.append(QStringLiteral("The feed registers the stream with the engine's SSE "
                                       "provider (providerUrl defaults to "
                                       "${__OW_API_HOST}/feedscope/v1/providers/sse/feeds)."));
        break;
    }

    bp.entities.append(PlannedEntity::makePackage(
        package, packageParameters, {{QStringLiteral("description"), description}}));
    bp.entities.append(PlannedEntity::makeAction(
        feedAction,
        nodeKind,
        feedCode,
        QStringLiteral("feed.js"),
        {},
        {{QStringLiteral("feed"), true},
         {QStringLiteral("description"),
          QStringLiteral("Feed action (templates/%1)").arg(templateFile)}}));
    if (target.isEmpty()) {
        bp.entities.append(PlannedEntity::makeAction(
            bp.handlerAction,
            nodeKind,
            QString::fromUtf8(handlerSource),
            QStringLiteral("handler.js"),
            {},
            {{QStringLiteral("description"),
              QStringLiteral("Logs and returns every event of '%1'").arg(base)}}));
    }
    bp.entities.append(PlannedEntity::makeTrigger(base, feedAction, feedParameters, ns));
    bp.entities.append(
        PlannedEntity::makeRule(base + QStringLiteral("-rule"), base, bp.handlerAction, ns));
    return bp;
}

// ---------------------------------------------------------------------------------------------
// wsk commands and the plan
// ---------------------------------------------------------------------------------------------

QString wskCreateCommand(const PlannedEntity &e, const QString &ns)
{
    const QString name = commandName(e.name, ns);
    const QJsonArray parameters = e.body.value(QLatin1String("parameters")).toArray();
    QJsonArray annotations = e.body.value(QLatin1String("annotations")).toArray();
    switch (e.kind) {
    case PlannedEntity::Kind::Package:
        return QStringLiteral("wsk package create ") + name +
               wskPairs(QStringLiteral("-p"), parameters) +
               wskPairs(QStringLiteral("-a"), annotations);
    case PlannedEntity::Kind::Binding: {
        const QJsonObject b = e.body.value(QLatin1String("binding")).toObject();
        const QString target = u'/' + b.value(QLatin1String("namespace")).toString() + u'/' +
                               b.value(QLatin1String("name")).toString();
        return QStringLiteral("wsk package bind ") + shellQuote(target) + u' ' + name +
               wskPairs(QStringLiteral("-p"), parameters) +
               wskPairs(QStringLiteral("-a"), annotations);
    }
    case PlannedEntity::Kind::Action: {
        const QJsonObject exec = e.body.value(QLatin1String("exec")).toObject();
        QString command = QStringLiteral("wsk action create ") + name;
        if (e.isSequence()) {
            QStringList components;
            for (const QJsonValue &c : exec.value(QLatin1String("components")).toArray())
                components.append(relativeEntityName(c.toString(), ns));
            command += QStringLiteral(" --sequence ") + shellQuote(components.join(u','));
        } else {
            const QString file =
                e.codeFile.isEmpty() ? e.simpleName() + QStringLiteral(".js") : e.codeFile;
            command += u' ' + shellQuote(file) + QStringLiteral(" --kind ") +
                       shellQuote(exec.value(QLatin1String("kind")).toString());
            const QString main = exec.value(QLatin1String("main")).toString();
            if (!main.isEmpty())
                command += QStringLiteral(" --main ") + shellQuote(main);
        }
        return command + wskPairs(QStringLiteral("-p"), parameters) +
               wskPairs(QStringLiteral("-a"), annotations);
    }
    case PlannedEntity::Kind::Trigger: {
        QString command = QStringLiteral("wsk trigger create ") + name;
        if (e.hasFeed()) {
            // --feed adds the annotation itself.
            for (qsizetype i = annotations.size() - 1; i >= 0; --i) {
                if (annotations.at(i).toObject().value(QLatin1String("key")).toString() == u"feed")
                    annotations.removeAt(i);
            }
            command += QStringLiteral(" --feed ") + shellQuote(relativeEntityName(e.feed, ns));
            if (parameters.isEmpty()) {
                command += wskPairs(QStringLiteral("-p"), e.feedParameters);
            } else {
                // -p would go to the feed only; split as the newer CLI flags do.
                command += wskPairs(QStringLiteral("--feed-param"), e.feedParameters) +
                           wskPairs(QStringLiteral("--trigger-param"), parameters);
            }
        } else {
            command += wskPairs(QStringLiteral("-p"), parameters);
        }
        return command + wskPairs(QStringLiteral("-a"), annotations);
    }
    case PlannedEntity::Kind::Rule:
        return QStringLiteral("wsk rule create ") + name + u' ' +
               shellQuote(
                   relativeEntityName(e.body.value(QLatin1String("trigger")).toString(), ns)) +
               u' ' +
               shellQuote(relativeEntityName(e.body.value(QLatin1String("action")).toString(), ns));
    }
    return {};
}

QString wskDeleteCommand(const PlannedEntity &e, const QString &ns)
{
    const QString collection =
        e.kind == PlannedEntity::Kind::Binding ? QStringLiteral("package") : entityKindName(e.kind);
    return QStringLiteral("wsk ") + collection + QStringLiteral(" delete ") +
           commandName(e.name, ns);
}

namespace {

QString describeCreate(const PlannedEntity &e)
{
    if (e.hasFeed()) {
        return QStringLiteral("Create trigger '%1' with feed '%2'").arg(e.name, e.feed);
    }
    if (e.kind == PlannedEntity::Kind::Binding) {
        const QJsonObject b = e.body.value(QLatin1String("binding")).toObject();
        return QStringLiteral("Bind package '%1' to /%2/%3")
            .arg(e.name,
                 b.value(QLatin1String("namespace")).toString(),
                 b.value(QLatin1String("name")).toString());
    }
    if (e.kind == PlannedEntity::Kind::Rule) {
        return QStringLiteral("Create rule '%1' (%2 → %3)")
            .arg(e.name,
                 relativeEntityName(e.body.value(QLatin1String("trigger")).toString(), {}),
                 relativeEntityName(e.body.value(QLatin1String("action")).toString(), {}));
    }
    return QStringLiteral("Create %1 '%2'")
        .arg(e.isSequence() ? QStringLiteral("sequence") : entityKindName(e.kind), e.name);
}

QString describeDelete(const PlannedEntity &e)
{
    if (e.hasFeed())
        return QStringLiteral("Delete trigger '%1' (feed DELETE first)").arg(e.name);
    return QStringLiteral("Delete %1 '%2'").arg(entityKindName(e.kind), e.name);
}

} // namespace

DeployPlan DeployPlan::fromBlueprint(const Blueprint &blueprint)
{
    return fromEntities(blueprint.entities, blueprint.inputs.ns);
}

DeployPlan DeployPlan::fromEntities(const QList<PlannedEntity> &entities, const QString &ns)
{
    DeployPlan plan;
    plan.ns = ns.isEmpty() ? QStringLiteral("_") : ns;
    for (const PlannedEntity &e : entities) {
        plan.steps.append(DeployStep{e,
                                     describeCreate(e),
                                     wskCreateCommand(e, plan.ns),
                                     describeDelete(e),
                                     wskDeleteCommand(e, plan.ns)});
    }
    return plan;
}

QString DeployPlan::wskScript() const
{
    QString script = QStringLiteral("#!/bin/sh\n# Generated by Feedscope\nset -e\n");
    for (const DeployStep &s : steps)
        script += u"# " + s.description + u'\n' + s.wskCommand + u'\n';
    return script;
}

QString DeployPlan::teardownScript() const
{
    QString script = QStringLiteral("#!/bin/sh\n# Generated by Feedscope\n");
    for (qsizetype i = steps.size() - 1; i >= 0; --i)
        script += u"# " + steps.at(i).undoDescription + u'\n' + steps.at(i).undoWskCommand + u'\n';
    return script;
}

// ---------------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------------

QString DeployReport::summary() const
{
    QString text;
    if (ok) {
        text = QStringLiteral("%1 steps done").arg(steps.size());
    } else if (cancelled) {
        text = QStringLiteral("Cancelled");
    } else if (failedStep >= 0) {
        text = QStringLiteral("Step %1 (%2) failed: %3")
                   .arg(failedStep + 1)
                   .arg(steps.value(failedStep).description, error);
    } else {
        text = error.isEmpty() ? QStringLiteral("Failed") : error;
    }
    if (!rolledBack.isEmpty())
        text += QStringLiteral("; rolled back: ") + rolledBack.join(QStringLiteral(", "));
    if (!problems.isEmpty())
        text += QStringLiteral("; problems: ") + problems.join(QStringLiteral("; "));
    return text;
}

// ---------------------------------------------------------------------------------------------
// The deployer
// ---------------------------------------------------------------------------------------------

// One deploy or teardown in progress. Every client call uses the run as its context, so a run
// destroyed with its deployer drops its late replies.
class DeployRun : public QObject
{
public:
    using Next = std::function<void(bool ok, bool absent, QString message)>;

    DeployRun(BlueprintDeployer *owner,
              WhiskClient *client,
              DeployPlan plan,
              bool teardown,
              QObject *context,
              BlueprintDeployer::Callback done)
        : QObject(owner)
        , m_owner(owner)
        , m_client(client)
        , m_plan(std::move(plan))
        , m_teardown(teardown)
        , m_context(context)
        , m_hasContext(context != nullptr)
        , m_done(std::move(done))
    {
        for (qsizetype i = 0; i < m_plan.steps.size(); ++i) {
            StepOutcome o;
            o.index = int(i);
            o.description =
                teardown ? m_plan.steps.at(i).undoDescription : m_plan.steps.at(i).description;
            m_report.steps.append(o);
        }
    }

    void start()
    {
        if (m_teardown)
            undo(int(m_plan.steps.size()) - 1, false);
        else
            step(0);
    }

    void cancel() { m_cancelled = true; }

private:
    QualifiedName qualified(const QString &name) const
    {
        return QualifiedName::parse(name, m_plan.ns).value_or(QualifiedName{m_plan.ns, {}, name});
    }

    void step(int i)
    {
        if (m_cancelled) {
            m_report.cancelled = true;
            m_report.error = QStringLiteral("Cancelled before step %1").arg(i + 1);
            undo(i - 1, true);
            return;
        }
        if (i >= m_plan.steps.size()) {
            m_report.ok = true;
            finish();
            return;
        }
        Q_EMIT m_owner->stepStarted(i, m_plan.steps.at(i).description);
        create(m_plan.steps.at(i).entity, [this, i](bool ok, bool, const QString &message) {
            StepOutcome &o = m_report.steps[i];
            o.state = ok ? StepOutcome::State::Done : StepOutcome::State::Failed;
            o.message = message;
            Q_EMIT m_owner->stepFinished(i, ok, message);
            if (ok) {
                step(i + 1);
                return;
            }
            m_report.failedStep = i;
            m_report.error = message;
            undo(i - 1, true);
        });
    }

    // Undoes step i, then i-1, ... 0. `rollback`: only steps this run did (a deploy's failure);
    // otherwise every step (teardown), where a missing entity counts as already removed.
    void undo(int i, bool rollback)
    {
        while (i >= 0 && rollback && m_report.steps.at(i).state != StepOutcome::State::Done)
            --i;
        if (i < 0) {
            if (m_teardown)
                m_report.ok = m_report.problems.isEmpty();
            finish();
            return;
        }
        const DeployStep &s = m_plan.steps.at(i);
        remove(s.entity, [this, i, rollback](bool ok, bool absent, const QString &message) {
            StepOutcome &o = m_report.steps[i];
            o.state = !ok      ? StepOutcome::State::UndoFailed
                      : absent ? StepOutcome::State::Absent
                               : StepOutcome::State::Undone;
            if (!message.isEmpty())
                o.message = message;
            if (rollback && ok)
                m_report.rolledBack.append(m_plan.steps.at(i).undoDescription);
            if (!ok)
                m_report.problems.append(message);
            Q_EMIT m_owner->undoFinished(i, ok, message);
            undo(i - 1, rollback);
        });
    }

    void finish()
    {
        if (m_finished)
            return;
        m_finished = true;
        if (!m_hasContext || m_context)
            m_done(m_report);
        m_owner->m_runs.removeAll(QPointer<QObject>(this));
        deleteLater();
    }

    // The feed's lifecycle call, as the CLI makes it (PROTOCOL.md 3.2): blocking, with the feed
    // parameters plus lifecycleEvent, triggerName and authKey. Success = a finished, successful
    // activation.
    void invokeFeed(const PlannedEntity &trigger,
                    const QString &event,
                    std::function<void(bool ok, QString message)> next)
    {
        QJsonObject params = trigger.feedParameters;
        params.insert(QStringLiteral("lifecycleEvent"), event);
        params.insert(QStringLiteral("triggerName"), qualifyEntityName(trigger.name, m_plan.ns));
        params.insert(QStringLiteral("authKey"), m_client->endpoint().authKey);
        InvokeOptions options;
        options.blocking = true;
        const auto feed = QualifiedName::parse(trigger.feed, m_plan.ns);
        if (!feed) {
            next(false, QStringLiteral("'%1' is not a valid feed name").arg(trigger.feed));
            return;
        }
        m_client->invoke(
            *feed, params, options, this, [next, event, trigger](Result<InvokeResult> r) {
                const QString what =
                    QStringLiteral("Feed %1 of '%2' (%3)").arg(event, trigger.name, trigger.feed);
                if (!r) {
                    next(false, what + QStringLiteral(" failed: ") + r.error().message);
                    return;
                }
                if (!r->finished) {
                    next(false,
                         what +
                             QStringLiteral(" did not finish in time (%1)").arg(r->activationId));
                    return;
                }
                const bool success = r->record ? r->record->success : false;
                if (success) {
                    next(true, {});
                    return;
                }
                QJsonValue error = r->result.toObject().value(QLatin1String("error"));
                if (error.isObject() && error.toObject().contains(QLatin1String("error")))
                    error = error.toObject().value(QLatin1String("error"));
                const QString detail =
                    error.isString()
                        ? error.toString()
                        : QString::fromUtf8(
                              QJsonDocument(r->result.toObject()).toJson(QJsonDocument::Compact));
                next(false, what + QStringLiteral(" failed: ") + detail);
            });
    }

    template<typename T>
    static std::function<void(Result<T>)> plain(Next next, bool tolerateMissing)
    {
        return [next, tolerateMissing](Result<T> r) {
            if (r) {
                next(true, false, {});
            } else if (tolerateMissing && r.error().httpStatus == 404) {
                next(true, true, QStringLiteral("already gone"));
            } else {
                next(false, false, r.error().message);
            }
        };
    }

    void create(const PlannedEntity &e, Next next)
    {
        const QualifiedName q = qualified(e.name);
        switch (e.kind) {
        case PlannedEntity::Kind::Package:
        case PlannedEntity::Kind::Binding:
            m_client->putPackage(q, e.package(), false, this, plain<Package>(next, false));
            return;
        case PlannedEntity::Kind::Action:
            m_client->putAction(q, e.action(), false, this, plain<Action>(next, false));
            return;
        case PlannedEntity::Kind::Rule: {
            const Rule r = e.rule();
            m_client->putRule(q, r.trigger, r.action, false, this, plain<Rule>(next, false));
            return;
        }
        case PlannedEntity::Kind::Trigger:
            m_client->putTrigger(
                q, e.trigger(), false, this, [this, e, q, next](Result<Trigger> r) {
                    if (!r) {
                        next(false, false, r.error().message);
                        return;
                    }
                    if (!e.hasFeed()) {
                        next(true, false, {});
                        return;
                    }
                    invokeFeed(
                        e, QStringLiteral("CREATE"), [this, e, q, next](bool ok, QString msg) {
                            if (ok) {
                                next(true, false, {});
                                return;
                            }
                            // Roll back as the CLI does: the feed's DELETE (errors ignored), then
                            // the trigger, so a failed CREATE leaves neither trigger nor provider
                            // state.
                            invokeFeed(
                                e, QStringLiteral("DELETE"), [this, q, msg, next](bool, QString) {
                                    m_client->deleteTrigger(
                                        q, this, [msg, next](Result<Trigger> d) {
                                            next(false,
                                                 false,
                                                 msg + (d ? QStringLiteral(" (trigger removed)")
                                                          : QStringLiteral(
                                                                " (removing the trigger failed: ") +
                                                                d.error().message + u')'));
                                        });
                                });
                        });
                });
            return;
        }
    }

    void remove(const PlannedEntity &e, Next next)
    {
        const QualifiedName q = qualified(e.name);
        switch (e.kind) {
        case PlannedEntity::Kind::Package:
        case PlannedEntity::Kind::Binding:
            m_client->deletePackage(q, false, this, plain<Package>(next, true));
            return;
        case PlannedEntity::Kind::Action:
            m_client->deleteAction(q, this, plain<Action>(next, true));
            return;
        case PlannedEntity::Kind::Rule:
            m_client->deleteRule(q, this, plain<Rule>(next, true));
            return;
        case PlannedEntity::Kind::Trigger:
            if (!e.hasFeed()) {
                m_client->deleteTrigger(q, this, plain<Trigger>(next, true));
                return;
            }
            // As `wsk trigger delete` (PROTOCOL.md 3.3): only an existing trigger has a feed to
            // tell; the feed's DELETE comes first and its failure does not keep the trigger.
            m_client->getTrigger(q, this, [this, e, q, next](Result<Trigger> got) {
                if (!got && got.error().httpStatus == 404) {
                    next(true, true, QStringLiteral("already gone"));
                    return;
                }
                invokeFeed(e, QStringLiteral("DELETE"), [this, q, next](bool ok, QString msg) {
                    m_client->deleteTrigger(q, this, [ok, msg, next](Result<Trigger> d) {
                        if (!d && d.error().httpStatus != 404) {
                            next(false, false, d.error().message);
                            return;
                        }
                        next(ok, false, msg);
                    });
                });
            });
            return;
        }
    }

    BlueprintDeployer *m_owner;
    WhiskClient *m_client;
    DeployPlan m_plan;
    bool m_teardown;
    QPointer<QObject> m_context;
    bool m_hasContext;
    BlueprintDeployer::Callback m_done;
    DeployReport m_report;
    bool m_cancelled = false;
    bool m_finished = false;
};

BlueprintDeployer::BlueprintDeployer(WhiskClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
}

BlueprintDeployer::~BlueprintDeployer() = default;

void BlueprintDeployer::deploy(const DeployPlan &plan, QObject *context, Callback done)
{
    if (!m_client) {
        DeployReport report;
        report.error = QStringLiteral("No OpenWhisk client");
        done(report);
        return;
    }
    auto *run = new DeployRun(this, m_client, plan, false, context, std::move(done));
    m_runs.append(run);
    run->start();
}

void BlueprintDeployer::teardown(const DeployPlan &plan, QObject *context, Callback done)
{
    if (!m_client) {
        DeployReport report;
        report.error = QStringLiteral("No OpenWhisk client");
        done(report);
        return;
    }
    auto *run = new DeployRun(this, m_client, plan, true, context, std::move(done));
    m_runs.append(run);
    run->start();
}

void BlueprintDeployer::cancel()
{
    for (const QPointer<QObject> &run : std::as_const(m_runs)) {
        if (run)
            static_cast<DeployRun *>(run.data())->cancel();
    }
}

bool BlueprintDeployer::isBusy() const
{
    for (const QPointer<QObject> &run : m_runs) {
        if (run)
            return true;
    }
    return false;
}

} // namespace Feedscope
