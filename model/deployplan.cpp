// SPDX-License-Identifier: GPL-3.0-or-later
// The deploy plan of a blueprint or manifest: its steps with their `wsk` equivalents, the HTTP
// requests they make, and the scripts (apart from blueprints.cpp, which builds the entities).
#include "blueprints.h"

#include "entityname.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace Feedscope {

namespace {

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
        out += u' ' + flag + u' ' + shellQuote(o.value(QLatin1String("key")).toString()) + u' '
               + wskValue(o.value(QLatin1String("value")));
    }
    return out;
}

QString commandName(const QString &name, const QString &ns)
{
    // Relative names stay relative for the CLI's default namespace.
    return shellQuote(ns.isEmpty() || ns == u"_" ? name : qualifyEntityName(name, ns));
}

} // namespace

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
        return QStringLiteral("wsk package create ") + name
               + wskPairs(QStringLiteral("-p"), parameters)
               + wskPairs(QStringLiteral("-a"), annotations);
    case PlannedEntity::Kind::Binding: {
        const QJsonObject b = e.body.value(QLatin1String("binding")).toObject();
        const QString target = u'/' + b.value(QLatin1String("namespace")).toString() + u'/'
                               + b.value(QLatin1String("name")).toString();
        return QStringLiteral("wsk package bind ") + shellQuote(target) + u' ' + name
               + wskPairs(QStringLiteral("-p"), parameters)
               + wskPairs(QStringLiteral("-a"), annotations);
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
            const QString file
                = e.codeFile.isEmpty() ? e.simpleName() + QStringLiteral(".js") : e.codeFile;
            command += u' ' + shellQuote(file) + QStringLiteral(" --kind ")
                       + shellQuote(exec.value(QLatin1String("kind")).toString());
            const QString main = exec.value(QLatin1String("main")).toString();
            if (!main.isEmpty())
                command += QStringLiteral(" --main ") + shellQuote(main);
        }
        return command + wskPairs(QStringLiteral("-p"), parameters)
               + wskPairs(QStringLiteral("-a"), annotations);
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
                command += wskPairs(QStringLiteral("--feed-param"), e.feedParameters)
                           + wskPairs(QStringLiteral("--trigger-param"), parameters);
            }
        } else {
            command += wskPairs(QStringLiteral("-p"), parameters);
        }
        return command + wskPairs(QStringLiteral("-a"), annotations);
    }
    case PlannedEntity::Kind::Rule:
        return QStringLiteral("wsk rule create ") + name + u' '
               + shellQuote(
                   relativeEntityName(e.body.value(QLatin1String("trigger")).toString(), ns))
               + u' '
               + shellQuote(
                   relativeEntityName(e.body.value(QLatin1String("action")).toString(), ns));
    }
    return {};
}

QString wskDeleteCommand(const PlannedEntity &e, const QString &ns)
{
    const QString collection = e.kind == PlannedEntity::Kind::Binding ? QStringLiteral("package")
                                                                      : entityKindName(e.kind);
    return QStringLiteral("wsk ") + collection + QStringLiteral(" delete ")
           + commandName(e.name, ns);
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

QString PlannedRequest::text() const
{
    QString out = method + u' ' + path;
    if (!body.isEmpty())
        out += u'\n' + QString::fromUtf8(QJsonDocument(body).toJson(QJsonDocument::Indented));
    return out;
}

QList<PlannedRequest> DeployPlan::requests() const
{
    auto pathOf = [this](const QString &collection, const QString &name) -> QString {
        const auto q = QualifiedName::parse(name, ns);
        if (!q)
            return QStringLiteral("/api/v1/namespaces/%1/%2/%3").arg(ns, collection, name);
        QString path = QStringLiteral("/api/v1/namespaces/%1/%2/").arg(q->ns, collection);
        if (!q->package.isEmpty())
            path += q->package + u'/';
        return QString(path + q->name);
    };
    QList<PlannedRequest> out;
    for (const DeployStep &step : steps) {
        const PlannedEntity &e = step.entity;
        QString collection;
        switch (e.kind) {
        case PlannedEntity::Kind::Package:
        case PlannedEntity::Kind::Binding: collection = QStringLiteral("packages"); break;
        case PlannedEntity::Kind::Action: collection = QStringLiteral("actions"); break;
        case PlannedEntity::Kind::Trigger: collection = QStringLiteral("triggers"); break;
        case PlannedEntity::Kind::Rule: collection = QStringLiteral("rules"); break;
        }
        PlannedRequest put;
        put.method = QStringLiteral("PUT");
        put.path = pathOf(collection, e.name) + QStringLiteral("?overwrite=false");
        put.body = e.body;
        put.description = step.description;
        out.append(put);
        if (!e.hasFeed())
            continue;
        PlannedRequest create;
        create.method = QStringLiteral("POST");
        create.path = pathOf(QStringLiteral("actions"), e.feed) + QStringLiteral("?blocking=true");
        create.body = e.feedParameters;
        create.body.insert(QStringLiteral("lifecycleEvent"), QStringLiteral("CREATE"));
        create.body.insert(QStringLiteral("triggerName"), qualifyEntityName(e.name, ns));
        create.body.insert(QStringLiteral("authKey"), QStringLiteral("<the profile's key>"));
        create.description = QStringLiteral("Feed CREATE of '%1' through %2").arg(e.name, e.feed);
        out.append(create);
    }
    return out;
}

} // namespace Feedscope
