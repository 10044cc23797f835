// SPDX-License-Identifier: GPL-3.0-or-later
// Entity names and qualified names (PROTOCOL.md 0).
#include "entityname.h"

#include <QTest>

using namespace Feedscope;

class TestEntityName : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("simple") << QStringLiteral("hello") << true;
        QTest::newRow("one char") << QStringLiteral("a") << true;
        QTest::newRow("inner specials") << QStringLiteral("a b@c.d&e-f") << true;
        QTest::newRow("ends with dot") << QStringLiteral("a.") << true;
        QTest::newRow("ends with space") << QStringLiteral("a ") << false;
        QTest::newRow("starts with dash") << QStringLiteral("-a") << false;
        QTest::newRow("dollar") << QStringLiteral("a$b") << false;
        QTest::newRow("slash") << QStringLiteral("a/b") << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("non-ascii") << QStringLiteral("caf\u00e9") << false;
        QTest::newRow("256 chars") << QString(256, u'x') << true;
        QTest::newRow("257 chars") << QString(257, u'x') << false;
    }
    void validNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QCOMPARE(isValidEntityName(name), valid);
    }

    void parseQualifiedNames()
    {
        auto n = QualifiedName::parse(QStringLiteral("/guest/pkg/act"));
        QVERIFY(n);
        QCOMPARE(n->ns, QStringLiteral("guest"));
        QCOMPARE(n->package, QStringLiteral("pkg"));
        QCOMPARE(n->name, QStringLiteral("act"));
        QCOMPARE(n->relative(), QStringLiteral("guest/pkg/act"));
        QCOMPARE(n->path(), QStringLiteral("guest/pkg"));

        n = QualifiedName::parse(QStringLiteral("act"), QStringLiteral("me"));
        QVERIFY(n);
        QCOMPARE(n->toString(), QStringLiteral("/me/act"));

        n = QualifiedName::parse(QStringLiteral("/_/t"));
        QVERIFY(n);
        QCOMPARE(n->ns, QStringLiteral("_"));

        QVERIFY(!QualifiedName::parse(QStringLiteral("/a/b/c/d")));
        QVERIFY(!QualifiedName::parse(QStringLiteral("/onlyns")));
        QVERIFY(!QualifiedName::parse(QStringLiteral("/ns/bad$")));
    }

    void versions()
    {
        QCOMPARE(bumpPatchVersion(QStringLiteral("0.0.1")), QStringLiteral("0.0.2"));
        QCOMPARE(bumpPatchVersion(QStringLiteral("1.2.9")), QStringLiteral("1.2.10"));
        QVERIFY(isValidSemVer(QStringLiteral("1.0.0")));
        QVERIFY(!isValidSemVer(QStringLiteral("1.0")));
    }
};

QTEST_GUILESS_MAIN(TestEntityName)
#include "tst_entityname.moc"
