// SPDX-License-Identifier: GPL-3.0-or-later
// Package and binding routes (PROTOCOL.md 1.3, 1.4, 1.7; controller texts from Packages.scala).
#include "enginefixture.h"

#include <QTest>
#include <QUrl>

using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

namespace {

QString packagePath(const QString &name, const QString &ns = u"_"_s)
{
    return u"/api/v1/namespaces/"_s + ns + u"/packages/"_s
           + QString::fromLatin1(QUrl::toPercentEncoding(name));
}

QString actionPath(const QString &package, const QString &action, const QString &ns = u"_"_s)
{
    return u"/api/v1/namespaces/"_s + ns + u"/actions/"_s
           + QString::fromLatin1(QUrl::toPercentEncoding(package)) + u'/'
           + QString::fromLatin1(QUrl::toPercentEncoding(action));
}

QJsonObject kv(const QString &key, const QJsonValue &value)
{
    return QJsonObject{{u"key"_s, key}, {u"value"_s, value}};
}

QJsonValue annotation(const QJsonObject &doc, const QString &key)
{
    for (const QJsonValue &pair : doc.value(u"annotations"_s).toArray()) {
        if (pair.toObject().value(u"key"_s).toString() == key)
            return pair.toObject().value(u"value"_s);
    }
    return QJsonValue(QJsonValue::Undefined);
}

QStringList names(const QJsonArray &items)
{
    QStringList result;
    for (const QJsonValue &item : items)
        result.append(item.toObject().value(u"name"_s).toString());
    return result;
}

// The item named `name` of a list (empty if absent).
QJsonObject named(const QJsonArray &items, const QString &name)
{
    for (const QJsonValue &item : items) {
        if (item.toObject().value(u"name"_s).toString() == name)
            return item.toObject();
    }
    return {};
}

QJsonObject bindingTo(const QString &ns, const QString &name, const QJsonObject &extra = {})
{
    QJsonObject body = extra;
    body.insert(u"binding"_s, QJsonObject{{u"namespace"_s, ns}, {u"name"_s, name}});
    return body;
}

const QString notFound = u"The requested resource does not exist."_s;

} // namespace

class TestPackagesApi : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;

    bool createPackage(const QString &name,
                       const QJsonObject &body = {},
                       const QByteArray &auth = guestKey)
    {
        const HttpResult r = m_engine.put(packagePath(name), body, auth);
        if (r.status != 200)
            qWarning("creating package %s: %d %s", qPrintable(name), r.status, r.body.constData());
        return r.status == 200;
    }

    bool createAction(const QString &package,
                      const QString &name,
                      const QJsonObject &body = nodeAction(),
                      const QByteArray &auth = guestKey)
    {
        const HttpResult r = m_engine.put(actionPath(package, name), body, auth);
        if (r.status != 200)
            qWarning("creating action %s/%s: %d %s",
                     qPrintable(package),
                     qPrintable(name),
                     r.status,
                     r.body.constData());
        return r.status == 200;
    }

    QJsonArray list(const QString &ns = u"_"_s, const QByteArray &auth = guestKey)
    {
        return m_engine.get(u"/api/v1/namespaces/"_s + ns + u"/packages?limit=200"_s, auth).array();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString())); }

    // ---- plain packages ----------------------------------------------------------------------

    void createPlainPackage()
    {
        const QJsonArray params = keyValues(QJsonObject{{u"host"_s, u"h"_s}, {u"port"_s, 80}});
        const QJsonArray annotations{kv(u"description"_s, u"tools"_s)};
        const HttpResult r = m_engine.put(packagePath(u"plain"_s),
                                          QJsonObject{{u"publish"_s, true},
                                                      {u"parameters"_s, params},
                                                      {u"annotations"_s, annotations}});
        QCOMPARE(r.status, 200);
        const QJsonObject doc = r.object();
        QCOMPARE(doc.value(u"namespace"_s).toString(), u"guest"_s);
        QCOMPARE(doc.value(u"name"_s).toString(), u"plain"_s);
        QCOMPARE(doc.value(u"version"_s).toString(), u"0.0.1"_s);
        QCOMPARE(doc.value(u"publish"_s), QJsonValue(true));
        QCOMPARE(doc.value(u"parameters"_s).toArray(), params);
        QCOMPARE(doc.value(u"annotations"_s).toArray(), annotations);
        // A plain package has an empty binding object in full documents.
        QVERIFY(doc.value(u"binding"_s).isObject());
        QCOMPARE(doc.value(u"binding"_s).toObject(), QJsonObject());
        QVERIFY(doc.value(u"updated"_s).isDouble());
        QVERIFY(doc.value(u"updated"_s).toInteger() > 1000000000000LL);

        const HttpResult g = m_engine.get(packagePath(u"plain"_s));
        QCOMPARE(g.status, 200);
        const QJsonObject got = g.object();
        QCOMPARE(got.value(u"parameters"_s).toArray(), params);
        QCOMPARE(got.value(u"binding"_s).toObject(), QJsonObject());
        QCOMPARE(got.value(u"publish"_s), QJsonValue(true));
        QCOMPARE(got.value(u"actions"_s).toArray(), QJsonArray());
        QCOMPARE(got.value(u"feeds"_s).toArray(), QJsonArray());
    }

    void emptyBodyCreatesDefaults()
    {
        const HttpResult r = m_engine.request("PUT", packagePath(u"bare"_s));
        QCOMPARE(r.status, 200);
        const QJsonObject doc = r.object();
        QCOMPARE(doc.value(u"publish"_s), QJsonValue(false));
        QCOMPARE(doc.value(u"parameters"_s).toArray(), QJsonArray());
        QCOMPARE(doc.value(u"annotations"_s).toArray(), QJsonArray());
        QCOMPARE(doc.value(u"version"_s).toString(), u"0.0.1"_s);
    }

    void listShowsSummaries()
    {
        QVERIFY(
            createPackage(u"listed"_s, QJsonObject{{u"parameters"_s, keyValues({{u"x"_s, 1}})}}));
        QVERIFY(createPackage(u"listedbinding"_s, bindingTo(u"guest"_s, u"listed"_s)));
        const QJsonArray packages = list();
        const QJsonObject plain = named(packages, u"listed"_s);
        QCOMPARE(plain.keys(),
                 (QStringList{u"annotations"_s,
                              u"binding"_s,
                              u"name"_s,
                              u"namespace"_s,
                              u"publish"_s,
                              u"updated"_s,
                              u"version"_s}));
        QCOMPARE(plain.value(u"binding"_s), QJsonValue(false));
        const QJsonObject binding = named(packages, u"listedbinding"_s);
        QCOMPARE(binding.value(u"binding"_s).toObject(),
                 (QJsonObject{{u"namespace"_s, u"guest"_s}, {u"name"_s, u"listed"_s}}));
        QVERIFY(!binding.contains(u"parameters"_s));

        const HttpResult count = m_engine.get(u"/api/v1/namespaces/_/packages?count=true"_s);
        QCOMPARE(count.status, 200);
        QCOMPARE(count.object(), (QJsonObject{{u"packages"_s, packages.size()}}));
        const HttpResult bad = m_engine.get(u"/api/v1/namespaces/_/packages?limit=201"_s);
        QCOMPARE(bad.status, 400);
        QCOMPARE(bad.error(),
                 u"The query parameter 'limit' was malformed:\n"
                 "The value '201' is not in the range of 0 to 200 for packages."_s);
    }

    void getListsActionsAndFeeds()
    {
        QVERIFY(createPackage(u"contents"_s));
        QVERIFY(createAction(u"contents"_s, u"worker"_s));
        QJsonObject feed = nodeAction();
        feed.insert(u"annotations"_s, QJsonArray{kv(u"feed"_s, true)});
        QVERIFY(createAction(u"contents"_s, u"changes"_s, feed));

        const HttpResult r = m_engine.get(packagePath(u"contents"_s));
        QCOMPARE(r.status, 200);
        const QJsonObject doc = r.object();
        const QJsonArray actions = doc.value(u"actions"_s).toArray();
        const QJsonArray feeds = doc.value(u"feeds"_s).toArray();
        QCOMPARE(names(actions), QStringList{u"worker"_s});
        QCOMPARE(names(feeds), QStringList{u"changes"_s});
        const QJsonObject worker = actions.first().toObject();
        QCOMPARE(worker.keys(), (QStringList{u"annotations"_s, u"name"_s, u"version"_s}));
        QCOMPARE(worker.value(u"version"_s).toString(), u"0.0.1"_s);
        QCOMPARE(annotation(worker, u"exec"_s), QJsonValue(u"nodejs:20"_s));
        QCOMPARE(annotation(feeds.first().toObject(), u"feed"_s), QJsonValue(true));
    }

    void putExistingWithoutOverwriteConflicts()
    {
        QVERIFY(createPackage(u"twice"_s));
        const HttpResult r = m_engine.put(packagePath(u"twice"_s), QJsonObject{});
        QCOMPARE(r.status, 409);
        QCOMPARE(r.error(), u"resource already exists"_s);
    }

    void updateReplacesParametersAndAnnotations()
    {
        QVERIFY(createPackage(
            u"replaced"_s,
            QJsonObject{{u"parameters"_s, keyValues({{u"a"_s, 1}, {u"b"_s, 2}})},
                        {u"annotations"_s, QJsonArray{kv(u"x"_s, 1), kv(u"y"_s, 2)}}}));
        const QJsonArray newParams = keyValues({{u"c"_s, 3}});
        const QJsonArray newAnnotations{kv(u"z"_s, 3)};
        const HttpResult r = m_engine.put(
            packagePath(u"replaced"_s) + u"?overwrite=true"_s,
            QJsonObject{{u"parameters"_s, newParams}, {u"annotations"_s, newAnnotations}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.object().value(u"parameters"_s).toArray(), newParams);
        QCOMPARE(r.object().value(u"annotations"_s).toArray(), newAnnotations);
        QCOMPARE(r.object().value(u"version"_s).toString(), u"0.0.2"_s);

        // Fields left out of the update keep their values; publish can be switched.
        const HttpResult r2 = m_engine.put(packagePath(u"replaced"_s) + u"?overwrite=true"_s,
                                           QJsonObject{{u"publish"_s, true}});
        QCOMPARE(r2.status, 200);
        QCOMPARE(r2.object().value(u"parameters"_s).toArray(), newParams);
        QCOMPARE(r2.object().value(u"annotations"_s).toArray(), newAnnotations);
        QCOMPARE(r2.object().value(u"publish"_s), QJsonValue(true));
        QCOMPARE(r2.object().value(u"version"_s).toString(), u"0.0.3"_s);

        // An explicit version is kept.
        const HttpResult r3 = m_engine.put(packagePath(u"replaced"_s) + u"?overwrite=true"_s,
                                           QJsonObject{{u"version"_s, u"3.0.0"_s}});
        QCOMPARE(r3.object().value(u"version"_s).toString(), u"3.0.0"_s);
        QCOMPARE(m_engine.get(packagePath(u"replaced"_s)).object().value(u"version"_s).toString(),
                 u"3.0.0"_s);
    }

    void defaultNameIsReserved()
    {
        const HttpResult r = m_engine.put(packagePath(u"default"_s), QJsonObject{});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), u"Package name 'default' is reserved."_s);
    }

    void nameTakenByAnActionConflicts()
    {
        QCOMPARE(m_engine.put(u"/api/v1/namespaces/_/actions/pkgclash"_s, nodeAction()).status,
                 200);
        const HttpResult r = m_engine.put(packagePath(u"pkgclash"_s), QJsonObject{});
        QCOMPARE(r.status, 409);
        QCOMPARE(r.error(), u"Resource by this name exists but is not in this collection."_s);
        QCOMPARE(m_engine.get(packagePath(u"pkgclash"_s)).status, 409);
    }

    void deleteReturnsTheDocument()
    {
        QVERIFY(createPackage(u"gone"_s, QJsonObject{{u"parameters"_s, keyValues({{u"k"_s, 1}})}}));
        const HttpResult del = m_engine.del(packagePath(u"gone"_s));
        QCOMPARE(del.status, 200);
        QCOMPARE(del.object().value(u"name"_s).toString(), u"gone"_s);
        QCOMPARE(del.object().value(u"parameters"_s).toArray(), keyValues({{u"k"_s, 1}}));
        QCOMPARE(m_engine.get(packagePath(u"gone"_s)).status, 404);
        // DELETE passes the entitlement check and fails in the handler: the plain text.
        const HttpResult again = m_engine.del(packagePath(u"gone"_s));
        QCOMPARE(again.status, 404);
        QCOMPARE(again.error(), notFound);
    }

    void missingOwnPackageIsNamedInTheError()
    {
        // READ on a package is checked by fetching it (PackageCollection.implicitRights); the
        // owner's missing package is a 404 that AuthorizedRouteDispatcher.authorizeAndDispatch
        // rewrites as Messages.resourceDoesntExist(fqname).
        const HttpResult get = m_engine.get(packagePath(u"neverthere"_s));
        QCOMPARE(get.status, 404);
        QCOMPARE(get.error(), u"The requested resource 'guest/neverthere' does not exist."_s);
    }

    void deleteNonEmptyPackageNeedsForce()
    {
        QVERIFY(createPackage(u"full"_s));
        QVERIFY(createAction(u"full"_s, u"inside"_s));
        const HttpResult refused = m_engine.del(packagePath(u"full"_s));
        QCOMPARE(refused.status, 409);
        QVERIFY2(refused.error().startsWith(u"Package not empty (contains 1 entity)"_s),
                 refused.body);
        QCOMPARE(m_engine.get(packagePath(u"full"_s)).status, 200);
        QCOMPARE(m_engine.get(actionPath(u"full"_s, u"inside"_s)).status, 200);

        QVERIFY(createAction(u"full"_s, u"second"_s));
        const HttpResult two = m_engine.del(packagePath(u"full"_s));
        QCOMPARE(two.status, 409);
        QVERIFY2(two.error().startsWith(u"Package not empty (contains 2 entities)"_s), two.body);

        const HttpResult forced = m_engine.del(packagePath(u"full"_s) + u"?force=true"_s);
        QCOMPARE(forced.status, 200);
        QCOMPARE(forced.object().value(u"name"_s).toString(), u"full"_s);
        QCOMPARE(m_engine.get(packagePath(u"full"_s)).status, 404);
        QCOMPARE(m_engine.get(actionPath(u"full"_s, u"inside"_s)).status, 404);
        QCOMPARE(m_engine.get(actionPath(u"full"_s, u"second"_s)).status, 404);
        // Re-creating the package does not bring its old actions back.
        QVERIFY(createPackage(u"full"_s));
        QCOMPARE(m_engine.get(packagePath(u"full"_s)).object().value(u"actions"_s).toArray(),
                 QJsonArray());
    }

    // ---- bindings ----------------------------------------------------------------------------

    void createBinding()
    {
        QVERIFY(createPackage(u"target1"_s));
        const HttpResult r
            = m_engine.put(packagePath(u"bind1"_s), bindingTo(u"guest"_s, u"target1"_s));
        QCOMPARE(r.status, 200);
        const QJsonObject doc = r.object();
        const QJsonObject binding{{u"namespace"_s, u"guest"_s}, {u"name"_s, u"target1"_s}};
        QCOMPARE(doc.value(u"binding"_s).toObject(), binding);
        QCOMPARE(annotation(doc, u"binding"_s).toObject(), binding);
        QCOMPARE(doc.value(u"name"_s).toString(), u"bind1"_s);
        QCOMPARE(doc.value(u"namespace"_s).toString(), u"guest"_s);
        QCOMPARE(doc.value(u"version"_s).toString(), u"0.0.1"_s);
        QCOMPARE(m_engine.get(packagePath(u"bind1"_s)).object().value(u"binding"_s).toObject(),
                 binding);
    }

    void bindingToAMissingPackage()
    {
        const HttpResult r = m_engine.put(packagePath(u"bindnothing"_s),
                                          bindingTo(u"guest"_s, u"nosuchpackage"_s));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), u"Binding references a package that does not exist."_s);
        QCOMPARE(m_engine.get(packagePath(u"bindnothing"_s)).status, 404);
    }

    void bindingToABinding()
    {
        QVERIFY(createPackage(u"target2"_s));
        QVERIFY(createPackage(u"bind2"_s, bindingTo(u"guest"_s, u"target2"_s)));
        const HttpResult r
            = m_engine.put(packagePath(u"bind2b"_s), bindingTo(u"guest"_s, u"bind2"_s));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), u"Cannot bind to another package binding."_s);
    }

    void packageCannotBecomeABinding()
    {
        QVERIFY(createPackage(u"target3"_s));
        QVERIFY(createPackage(u"stayplain"_s));
        const HttpResult r = m_engine.put(packagePath(u"stayplain"_s) + u"?overwrite=true"_s,
                                          bindingTo(u"guest"_s, u"target3"_s));
        QCOMPARE(r.status, 409);
        QCOMPARE(r.error(), u"Resource is a package and cannot be converted into a binding."_s);
        QCOMPARE(m_engine.get(packagePath(u"stayplain"_s)).object().value(u"binding"_s).toObject(),
                 QJsonObject());
    }

    void getOnABindingMergesTheTarget()
    {
        QVERIFY(createPackage(
            u"target4"_s,
            QJsonObject{{u"parameters"_s, keyValues({{u"a"_s, 1}, {u"b"_s, u"pkg"_s}})}}));
        QVERIFY(createAction(u"target4"_s, u"act"_s));
        QJsonObject feed = nodeAction();
        feed.insert(u"annotations"_s, QJsonArray{kv(u"feed"_s, u"yes"_s)});
        QVERIFY(createAction(u"target4"_s, u"feedact"_s, feed));
        QVERIFY(createPackage(
            u"bind4"_s,
            bindingTo(
                u"guest"_s,
                u"target4"_s,
                QJsonObject{{u"parameters"_s, keyValues({{u"b"_s, u"binding"_s}, {u"c"_s, 3}})}})));

        const HttpResult r = m_engine.get(packagePath(u"bind4"_s));
        QCOMPARE(r.status, 200);
        const QJsonObject doc = r.object();
        QCOMPARE(doc.value(u"name"_s).toString(), u"bind4"_s);
        QCOMPARE(doc.value(u"namespace"_s).toString(), u"guest"_s);
        QCOMPARE(doc.value(u"binding"_s).toObject(),
                 (QJsonObject{{u"namespace"_s, u"guest"_s}, {u"name"_s, u"target4"_s}}));
        QJsonObject params;
        for (const QJsonValue &pair : doc.value(u"parameters"_s).toArray())
            params.insert(pair.toObject().value(u"key"_s).toString(),
                          pair.toObject().value(u"value"_s));
        QCOMPARE(params, (QJsonObject{{u"a"_s, 1}, {u"b"_s, u"binding"_s}, {u"c"_s, 3}}));
        QCOMPARE(doc.value(u"parameters"_s).toArray().size(), 3);
        QCOMPARE(names(doc.value(u"actions"_s).toArray()), QStringList{u"act"_s});
        QCOMPARE(names(doc.value(u"feeds"_s).toArray()), QStringList{u"feedact"_s});

        // The target itself is unchanged by the binding's parameters.
        QCOMPARE(m_engine.get(packagePath(u"target4"_s)).object().value(u"parameters"_s).toArray(),
                 keyValues({{u"a"_s, 1}, {u"b"_s, u"pkg"_s}}));
        // The binding's actions are listed through the binding path too.
        const HttpResult viaBinding = m_engine.get(u"/api/v1/namespaces/_/actions/bind4/"_s);
        QCOMPARE(viaBinding.status, 200);
        QStringList listed = names(viaBinding.array());
        listed.sort();
        QCOMPARE(listed, (QStringList{u"act"_s, u"feedact"_s}));
    }

    void bindingToAPublishedSystemPackage()
    {
        QVERIFY(createPackage(
            u"shared"_s,
            QJsonObject{{u"publish"_s, true}, {u"parameters"_s, keyValues({{u"s"_s, 1}})}},
            systemKey));
        QVERIFY(createAction(u"shared"_s, u"tool"_s, nodeAction(), systemKey));
        const HttpResult r
            = m_engine.put(packagePath(u"mine"_s), bindingTo(u"whisk.system"_s, u"shared"_s));
        QCOMPARE(r.status, 200);
        QCOMPARE(annotation(r.object(), u"binding"_s).toObject(),
                 (QJsonObject{{u"namespace"_s, u"whisk.system"_s}, {u"name"_s, u"shared"_s}}));
        const QJsonObject doc = m_engine.get(packagePath(u"mine"_s)).object();
        QCOMPARE(doc.value(u"parameters"_s).toArray(), keyValues({{u"s"_s, 1}}));
        QCOMPARE(names(doc.value(u"actions"_s).toArray()), QStringList{u"tool"_s});
        // The published package and its actions are readable by the guest directly.
        QCOMPARE(m_engine.get(packagePath(u"shared"_s, u"whisk.system"_s)).status, 200);
        QCOMPARE(m_engine.get(actionPath(u"shared"_s, u"tool"_s, u"whisk.system"_s)).status, 200);
    }

    void getActionThroughABinding()
    {
        QVERIFY(createPackage(u"sharedget"_s,
                              QJsonObject{{u"publish"_s, true},
                                          {u"parameters"_s, keyValues({{u"s"_s, 1}, {u"t"_s, 1}})}},
                              systemKey));
        QVERIFY(createAction(u"sharedget"_s, u"tool"_s, nodeAction(), systemKey));
        QVERIFY(createPackage(u"mineget"_s,
                              bindingTo(u"whisk.system"_s,
                                        u"sharedget"_s,
                                        {{u"parameters"_s, keyValues({{u"t"_s, 2}})}})));
        // READ on ns/binding/action resolves the binding to the target's action and merges the
        // parameters (Actions.scala fetchEntity → WhiskAction.resolveActionAndMergeParameters).
        const HttpResult r = m_engine.get(actionPath(u"mineget"_s, u"tool"_s));
        QCOMPARE(r.status, 200);
        const QJsonObject doc = r.object();
        QCOMPARE(doc.value(u"namespace"_s).toString(), u"whisk.system/sharedget"_s);
        QCOMPARE(doc.value(u"name"_s).toString(), u"tool"_s);
        QJsonObject params;
        for (const QJsonValue &pair : doc.value(u"parameters"_s).toArray()) {
            params.insert(pair.toObject().value(u"key"_s).toString(),
                          pair.toObject().value(u"value"_s));
        }
        QCOMPARE(params, (QJsonObject{{u"s"_s, 1}, {u"t"_s, 2}}));
    }

    void bindingToAnUnpublishedSystemPackageIsForbidden()
    {
        QVERIFY(createPackage(u"private"_s, QJsonObject{}, systemKey));
        const HttpResult r
            = m_engine.put(packagePath(u"sneaky"_s), bindingTo(u"whisk.system"_s, u"private"_s));
        QCOMPARE(r.status, 403);
        QVERIFY2(r.error().startsWith(u"The supplied authentication is not authorized"_s), r.body);
        QCOMPARE(m_engine.get(packagePath(u"sneaky"_s)).status, 404);
        // Reading it directly is forbidden too.
        const HttpResult get = m_engine.get(packagePath(u"private"_s, u"whisk.system"_s));
        QCOMPARE(get.status, 403);
        QCOMPARE(get.error(),
                 u"The supplied authentication is not authorized to access "
                 "'whisk.system/private'."_s);
    }

    void otherNamespaceListShowsOnlyPublishedPackages()
    {
        QVERIFY(createPackage(u"pub"_s, QJsonObject{{u"publish"_s, true}}, systemKey));
        QVERIFY(createPackage(u"unpub"_s, QJsonObject{{u"publish"_s, false}}, systemKey));
        QVERIFY(createPackage(u"pubbinding"_s,
                              bindingTo(u"whisk.system"_s, u"pub"_s, {{u"publish"_s, true}}),
                              systemKey));

        const QStringList guestView = names(list(u"whisk.system"_s));
        QVERIFY(guestView.contains(u"pub"_s));
        QVERIFY(!guestView.contains(u"unpub"_s));
        QVERIFY(!guestView.contains(u"pubbinding"_s));
        for (const QJsonValue &item : list(u"whisk.system"_s)) {
            QCOMPARE(item.toObject().value(u"publish"_s), QJsonValue(true));
            QCOMPARE(item.toObject().value(u"binding"_s), QJsonValue(false));
        }

        // The owner sees everything.
        const QStringList ownerView = names(list(u"_"_s, systemKey));
        QVERIFY(ownerView.contains(u"pub"_s));
        QVERIFY(ownerView.contains(u"unpub"_s));
        QVERIFY(ownerView.contains(u"pubbinding"_s));

        // A binding in another namespace is never readable, even when published.
        QCOMPARE(m_engine.get(packagePath(u"pubbinding"_s, u"whisk.system"_s)).status, 403);
        // Nor may the guest create packages there.
        QCOMPARE(m_engine.put(packagePath(u"intruder"_s, u"whisk.system"_s), QJsonObject{}).status,
                 403);
    }
};

QTEST_GUILESS_MAIN(TestPackagesApi)
#include "tst_packagesapi.moc"
